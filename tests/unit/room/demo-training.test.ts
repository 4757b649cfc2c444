import { describe, expect, it } from "vitest";
import { DemoTrainer, percentile } from "../../../src/room/demo-trainer.ts";
import { parseFromDemoMember, parseToDemoMember } from "../../../src/room/demo-protocol.ts";
import { linearGradient, shardData, trueParams } from "../../../src/room/linear-task.ts";
import { linearCompute, type MemberCompute } from "../../../src/room/member-compute.ts";
import { MemberWork } from "../../../src/room/member-runtime.ts";
import type { LinearShard } from "../../../src/room/linear-task.ts";
import { linkPair } from "./link-pair.ts";

const FAST = { stepTimeoutMs: 300, minStepMs: 0 };

function joinMember(
  trainer: DemoTrainer,
  id: number,
  compute: MemberCompute<LinearShard> = linearCompute(),
) {
  const [presenterEnd, memberEnd] = linkPair();
  const work = new MemberWork(compute);
  work.attach(memberEnd);
  trainer.addMember(id, presenterEnd);
  return { work, presenterEnd, memberEnd };
}

describe("the linear stand-in task", () => {
  it("gives each shard its own data from the same true parameters", () => {
    const shard = { index: 0, count: 4, seed: 3, examples: 64, features: 5 };
    const a = shardData(shard);
    expect(shardData(shard)).toEqual(a); // the same on every device
    expect(shardData({ ...shard, index: 1 }).x).not.toEqual(a.x);
    // at the true parameters only the noise remains
    const { loss } = linearGradient(trueParams(3, 5), a);
    expect(loss).toBeLessThan(0.05 ** 2);
  });

  it("computes the gradient of the mean squared error", () => {
    const data = shardData({ index: 2, count: 4, seed: 9, examples: 32, features: 3 });
    const params = Float32Array.from([0.3, -0.2, 0.5, 0.1]);
    const { gradient, loss } = linearGradient(params, data);
    const h = 1e-3;
    for (let i = 0; i < params.length; i++) {
      const up = params.slice();
      up[i]! += h;
      const numeric = (linearGradient(up, data).loss - loss) / h;
      expect(gradient[i]).toBeCloseTo(numeric, 1);
    }
    expect(() => linearGradient(new Float32Array(2), data)).toThrow(/2 parameters for 3 features/);
  });
});

describe("stand-in training across links", () => {
  it("lowers the loss with three members sending 8-bit gradients", async () => {
    const trainer = new DemoTrainer(FAST);
    const members = [1, 2, 3].map((id) => joinMember(trainer, id));
    const start = trainer.loss();
    for (let i = 0; i < 60; i++) await trainer.runStep();
    expect(trainer.loss()).toBeLessThan(start / 20);
    expect(trainer.history.at(-1)).toMatchObject({ contributors: 3, missing: 0 });
    expect(members.map((m) => m.work.progress.steps)).toEqual([60, 60, 60]);
    expect(members.map((m) => m.work.progress.shard?.index)).toEqual([0, 1, 2]);
  });

  it("goes on without a member that left, and waits no longer than the timeout for a silent one", async () => {
    const trainer = new DemoTrainer(FAST);
    joinMember(trainer, 1);
    const leaving = joinMember(trainer, 2);
    const silent: MemberCompute<LinearShard> = {
      backend: "js",
      gradient: () => new Promise(() => {}), // never answers
      dispose() {},
    };
    joinMember(trainer, 3, silent);
    await trainer.runStep();
    expect(trainer.history.at(-1)).toMatchObject({ contributors: 2, missing: 1 });
    leaving.memberEnd.close("tab closed");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const before = performance.now();
    await trainer.runStep();
    expect(performance.now() - before).toBeLessThan(FAST.stepTimeoutMs + 200);
    expect(trainer.history.at(-1)).toMatchObject({ contributors: 1, missing: 1 });
    expect(trainer.events.filter((e) => e.kind === "left")).toMatchObject([
      { id: 2, reason: "tab closed" },
    ]);
  });

  it("removes a member that sends NaN or malformed gradients, and keeps the parameters finite", async () => {
    const trainer = new DemoTrainer({ ...FAST, bits: 32 });
    joinMember(trainer, 1);
    const poisoned: MemberCompute<LinearShard> = {
      backend: "js",
      gradient: async () => ({ gradient: new Float32Array(9).fill(NaN), loss: NaN, examples: 256 }),
      dispose() {},
    };
    const bad = joinMember(trainer, 2, poisoned);
    const closed = new Promise<string>((resolve) => bad.memberEnd.onClose(resolve));
    for (let i = 0; i < 5; i++) await trainer.runStep();
    expect(await closed).toBe("gradient has NaN or infinite values");
    expect(trainer.events.find((e) => e.kind === "removed")).toMatchObject({ id: 2 });
    expect(trainer.members().map((m) => m.id)).toEqual([1]);
    expect(trainer.params.every(Number.isFinite)).toBe(true);
    expect(trainer.history.at(-1)?.contributors).toBe(1);

    const [presenterEnd, memberEnd] = linkPair();
    trainer.addMember(3, presenterEnd);
    const wrong = new Promise<string>((resolve) => memberEnd.onClose(resolve));
    memberEnd.send({
      type: "gradient",
      step: 1,
      loss: 1,
      examples: 1,
      ms: 1,
      bits: 32,
      values: new Float32Array(3),
    });
    expect(await wrong).toBe("gradient of 3 values, the model has 9");
  });

  it("measures round trips", async () => {
    const trainer = new DemoTrainer(FAST);
    joinMember(trainer, 1);
    const samples = await trainer.roundTrips(1, 20);
    expect(samples).toHaveLength(20);
    expect(samples.every((t) => t >= 0 && t < 1000)).toBe(true);
    await expect(trainer.roundTrips(9, 1)).rejects.toThrow(/no member #9/);
  });

  it("takes percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("the stand-in's messages", () => {
  it("are checked on both sides", () => {
    const shard = { index: 0, count: 8, seed: 1, examples: 256, features: 8 };
    expect(parseToDemoMember({ type: "task", shard })).toBeTruthy();
    expect(parseToDemoMember({ type: "task", shard: { ...shard, examples: 1e9 } })).toBeUndefined();
    expect(parseToDemoMember({ type: "params", step: 1, params: [1, 2], bits: 8 })).toBeUndefined();
    expect(parseToDemoMember({ type: "run", code: "x" })).toBeUndefined();
    const gradient = { type: "gradient", step: 1, loss: 1, examples: 1, ms: 1 };
    expect(
      parseFromDemoMember(
        {
          ...gradient,
          bits: 8,
          values: new Uint8Array(9),
          min: new Float32Array(1),
          scale: new Float32Array(1),
        },
        9,
      ).ok,
    ).toBe(true);
    expect(
      parseFromDemoMember({ ...gradient, bits: 8, values: new Uint8Array(9) }, 9),
    ).toMatchObject({ ok: false, reason: "8-bit gradient without its min and scale" });
    expect(parseFromDemoMember({ ...gradient, bits: 8, values: new Float32Array(9) }, 9).ok).toBe(
      false,
    );
    expect(parseFromDemoMember({ ...gradient, bits: 32, values: new Float32Array(9) }, 9).ok).toBe(
      true,
    );
    expect(
      parseFromDemoMember({ ...gradient, step: "1", bits: 32, values: new Float32Array(9) }, 9).ok,
    ).toBe(false);
  });
});
