/**
 * Training across the room without a network: the presenter's RoomTraining with one in-process
 * "local worker" and devices joined through a stand-in room, some of them hostile. Plus the
 * robust ways of combining gradients, against the plain mean, when one member is malicious.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { syntheticDigits } from "../support/synthetic-digits.ts";
import {
  average,
  clipByNorm,
  combine,
  l2Norm,
  median,
  trimmedMean,
} from "../../../src/ml/distributed/aggregate.ts";
import { parseFromMember } from "../../../src/ml/distributed/protocol.ts";
import { RoomTraining } from "../../../src/room/room-training.ts";
import { FakeRoom, localMember } from "./fake-room.ts";

const synthetic = syntheticDigits;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const data = synthetic(400);

describe("combining gradients when one member is malicious", () => {
  const honest = Array.from({ length: 4 }, (_, k) =>
    Float32Array.from({ length: 100 }, (_, i) => Math.sin(i) + 0.05 * k),
  );
  const truth = average(honest);
  const malicious = truth.map((v) => -50 * v);
  const all = [...honest, malicious];
  const distance = (a: Float32Array) => l2Norm(a.map((v, i) => v - truth[i]!));

  it("the mean is dragged far off; the median and the trimmed mean are not", () => {
    expect(distance(average(all))).toBeGreaterThan(5 * l2Norm(truth));
    expect(distance(median(all))).toBeLessThan(0.05 * l2Norm(truth));
    expect(distance(trimmedMean(all))).toBeLessThan(0.05 * l2Norm(truth));
    expect(combine(all, "mean")).toEqual(average(all));
  });

  it("median of an even count averages the middle two; trimming needs three", () => {
    expect(Array.from(median([new Float32Array([1]), new Float32Array([3])]))).toEqual([2]);
    const two = [new Float32Array([1, 2]), new Float32Array([3, 4])];
    expect(trimmedMean(two)).toEqual(average(two));
    const three = [0, 10, 1000].map((v) => new Float32Array([v]));
    expect(Array.from(trimmedMean(three))).toEqual([10]);
  });

  it("clipping scales a gradient down to the norm, and leaves a small one alone", () => {
    const big = new Float32Array([30, 40]);
    expect(clipByNorm(big, 5)).toBe(50);
    expect(Array.from(big)).toEqual([3, 4]);
    const small = new Float32Array([0.3, 0.4]);
    clipByNorm(small, 5);
    expect(Array.from(small)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});

describe("a member's messages are validated", () => {
  it.each([
    [null, "not an object"],
    [{ k: "ready", backend: 3, examples: 1 }, "a malformed ready"],
    [{ k: "gradient", step: 0, version: 0, loss: NaN, count: 1 }, "a gradient without step"],
    [{ k: "gradient", step: 0, version: 0, loss: 1, count: 1 }, "a gradient without its times"],
    [{ k: "<img src=x onerror=alert(1)>" }, "an unknown message kind"],
  ])("%j is rejected", (message, reason) => {
    const parsed = parseFromMember(message);
    expect(typeof parsed).toBe("string");
    expect(parsed).toContain(reason);
  });
});

async function trainUntil(t: RoomTraining, done: () => boolean, limitMs = 30_000) {
  const controller = new AbortController();
  const running = t.run(controller.signal);
  const until = Date.now() + limitMs;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  await running;
}

function training(config = {}) {
  return new RoomTraining({
    local: 1,
    devices: 4,
    examples: data.count,
    config: { batchPerWorker: 16, timeoutMs: 400, ...config },
    spawnLocal: () => localMember(tf, data),
  });
}

describe("training across the room", () => {
  it("devices join as members; NaN, junk and a vanished device are dropped, training goes on", async () => {
    const t = training();
    const room = new FakeRoom(tf, data);
    t.useRoom(room);
    room.join(11);
    const vanishing = room.join(12);
    await trainUntil(t, () => t.coordinator.step >= 4);
    expect(t.rows().map((r) => [r.who, r.state])).toEqual([
      ["this browser", "training"],
      ["Phone 11", "training"],
      ["Phone 12", "training"],
    ]);
    room.join(13, "nan");
    room.join(14, "junk");
    vanishing.crash();
    const at = t.coordinator.step;
    await trainUntil(t, () => t.coordinator.step >= at + 10);
    const rows = t.rows();
    const row = (who: string) => rows.find((r) => r.who === who)!;
    expect(row("Phone 13").state).toBe("rejected");
    expect(row("Phone 13").problem).toMatch(/NaN/);
    expect(row("Phone 14").state).toBe("rejected");
    expect(row("Phone 14").problem).toMatch(/Float32Array/);
    expect(row("Phone 12").state).toBe("late");
    expect(row("Phone 11").steps).toBeGreaterThan(8);
    expect(room.removed.map((r) => r.id).sort()).toEqual([13, 14]);
    expect(t.events.map((e) => e.kind)).toEqual([
      "joined",
      "joined",
      "joined",
      "joined",
      "rejected",
      "rejected",
    ]);
    expect(t.params.every(Number.isFinite)).toBe(true);
    expect(t.history.at(-1)!.loss).toBeLessThan(t.history[0]!.loss);
    t.dispose();
  }, 60_000);

  it("with the median, a member sending flipped gradients does not stop the loss falling", async () => {
    const losses: Record<string, number> = {};
    for (const how of ["mean", "median"] as const) {
      const t = training({ combine: how, clipNorm: undefined, rejectNorm: undefined });
      const room = new FakeRoom(tf, data);
      t.useRoom(room);
      room.join(1);
      room.join(2);
      room.join(3, "flip");
      // with the mean, the parameters blow up and every gradient becomes NaN (and is rejected)
      await trainUntil(t, () => t.coordinator.step >= 20, 8000);
      // nobody is thrown out (a member may be "late" for a step when the machine is busy)
      if (how === "median") expect(t.rows().filter((r) => r.state === "rejected")).toEqual([]);
      losses[how] = t.history.slice(-5).reduce((s, r) => s + r.loss, 0) / 5;
      if (how === "median") expect(t.params.every(Number.isFinite)).toBe(true);
      t.dispose();
    }
    expect(losses.median).toBeLessThan(1.5);
    expect(losses.mean! > losses.median! * 2 || !Number.isFinite(losses.mean)).toBe(true);
    console.log(`last losses with one flipped member: ${JSON.stringify(losses)}`);
  }, 60_000);
});
