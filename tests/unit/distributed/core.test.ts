import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { syntheticDigits } from "../support/synthetic-digits.ts";
import { average, ringAllReduce, ringTraffic } from "../../../src/ml/distributed/aggregate.ts";
import {
  Coordinator,
  DEFAULT_CONFIG,
  type Checkpoint,
  type TrainingConfig,
} from "../../../src/ml/distributed/coordinator.ts";
import { localLinks, type LocalLink } from "../../../src/ml/distributed/local-link.ts";
import { gather, serveMember, type Examples } from "../../../src/ml/distributed/member.ts";
import {
  applyGradient,
  initialParameters,
  layout,
  lossAndGradient,
  lossAndGradientByAutodiff,
  parameterCount,
} from "../../../src/ml/distributed/mlp.ts";
import { batchIndices, shards } from "../../../src/ml/distributed/shards.ts";
import { decodeGradient, GradientEncoder, wireSize } from "../../../src/ml/distributed/wire.ts";
import { errorBound, quantize } from "../../../src/ml/quantize/affine.ts";

const synthetic = syntheticDigits;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const fresh = (): Checkpoint => ({
  params: initialParameters(5),
  step: 0,
  elapsed: 0,
  examples: 0,
  draws: [],
});

function cluster(config: TrainingConfig, data: Examples, start = fresh()) {
  const coordinator = new Coordinator(config, data.count, start, 9);
  const links: LocalLink[] = [];
  const attach = (rank: number) => {
    const [page, member] = localLinks();
    void serveMember({ tf, link: member, data, backend: "cpu" });
    coordinator.attach(rank, page);
    links[rank] = member;
  };
  for (let r = 0; r < config.workers; r++) attach(r);
  return { coordinator, links, attach };
}

async function trainUntil(c: Coordinator, done: () => boolean, limitMs = 20_000): Promise<void> {
  const controller = new AbortController();
  const running = c.run(controller.signal);
  const until = Date.now() + limitMs;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  await running;
}

describe("aggregation", () => {
  it("ring all-reduce gives every worker the average, sending 2(N−1)/N of a gradient", () => {
    for (const n of [1, 2, 3, 5]) {
      const length = 1001;
      const grads = Array.from({ length: n }, (_, w) =>
        Float32Array.from({ length }, (_, i) => Math.sin(i * (w + 1)) * 1e-2),
      );
      const { averaged, traffic } = ringAllReduce(grads);
      const mean = average(grads);
      for (const copy of averaged) {
        for (let i = 0; i < length; i++) expect(copy[i]).toBeCloseTo(mean[i]!, 6);
      }
      const ideal = (2 * (n - 1) * length * 4) / n;
      expect(traffic.sentPerWorker).toBeGreaterThanOrEqual(Math.floor(ideal) - 8 * n);
      expect(traffic.sentPerWorker).toBeLessThanOrEqual(ideal + 8 * n);
      expect(ringTraffic(n, length, 32).sentPerWorker).toBeCloseTo(ideal, -2);
    }
  });

  it("a quantized ring stays within the error its hops can add", () => {
    const n = 4;
    const grads = Array.from({ length: n }, (_, w) =>
      Float32Array.from({ length: 400 }, (_, i) => Math.cos(i + w) * 1e-3),
    );
    const mean = average(grads);
    for (const bits of [16, 8] as const) {
      const { averaged, traffic } = ringAllReduce(grads, bits);
      // each value crosses at most n − 1 adding hops and one gathering hop, each within half a step
      const step = (2 * n * 1e-3) / (2 ** bits - 1);
      const worst = Math.max(...averaged[0]!.map((v, i) => Math.abs(v - mean[i]!)));
      expect(worst).toBeLessThanOrEqual((n * step) / n + 1e-9);
      expect(traffic.sentPerWorker).toBeLessThan(ringAllReduce(grads, 32).traffic.sentPerWorker);
    }
  });
});

describe("gradients on the wire", () => {
  it("round-trip within each tensor's bound, at a quarter of the bytes at 8 bits", () => {
    const segments = layout();
    const g = Float32Array.from({ length: parameterCount() }, (_, i) => Math.sin(i) * 1e-2);
    for (const bits of [32, 16, 8] as const) {
      const wire = new GradientEncoder().encode(g, segments, bits, false);
      const back = decodeGradient(structuredClone(wire), segments);
      for (const s of segments) {
        const slice = g.subarray(s.offset, s.offset + s.size);
        const bound = bits === 32 ? 0 : errorBound(quantize(slice, bits));
        let worst = 0;
        for (let i = 0; i < s.size; i++)
          worst = Math.max(worst, Math.abs(back[s.offset + i]! - slice[i]!));
        expect(worst).toBeLessThanOrEqual(bound);
      }
      expect(wireSize(wire)).toBeCloseTo((g.length * bits) / 8, -3);
    }
  });

  it("with error feedback, what is sent over steps adds up to what was computed", () => {
    const segments = layout();
    const g = Float32Array.from({ length: parameterCount() }, (_, i) => Math.cos(i * 0.37) * 1e-3);
    const encoder = new GradientEncoder();
    const total = new Float64Array(g.length);
    const steps = 20;
    for (let s = 0; s < steps; s++) {
      const back = decodeGradient(encoder.encode(g, segments, 8, true), segments);
      back.forEach((v, i) => (total[i] = total[i]! + v));
    }
    const bound = errorBound(quantize(g, 8)) * 2;
    for (let i = 0; i < g.length; i += 97)
      expect(Math.abs(total[i]! / steps - g[i]!)).toBeLessThan(bound / steps + 1e-9);
  });

  it("rejects malformed gradients", () => {
    const segments = layout();
    expect(() => decodeGradient({ bits: 32, data: new Float32Array(3) }, segments)).toThrow(
      /Float32Array/,
    );
    expect(() => decodeGradient({ bits: 4, parts: [] }, segments)).toThrow(/32, 16 or 8/);
    expect(() => decodeGradient(null, segments)).toThrow();
  });
});

describe("the network's gradient", () => {
  it.each(["cpu", "wasm"])(
    "written out equals automatic differentiation on %s",
    async (backend) => {
      expect(await tf.setBackend(backend)).toBe(true);
      try {
        const data = synthetic(64);
        const params = initialParameters(3);
        const batch = gather(
          data,
          Int32Array.from({ length: 48 }, (_, i) => (i * 7) % 64),
        );
        const before = tf.memory().numTensors;
        const manual = await lossAndGradient(tf, params, batch);
        const auto = await lossAndGradientByAutodiff(tf, params, batch);
        expect(tf.memory().numTensors).toBe(before);
        expect(manual.loss).toBeCloseTo(auto.loss, 5);
        let worst = 0;
        let largest = 0;
        for (let i = 0; i < params.length; i++) {
          worst = Math.max(worst, Math.abs(manual.gradient[i]! - auto.gradient[i]!));
          largest = Math.max(largest, Math.abs(auto.gradient[i]!));
        }
        expect(largest).toBeGreaterThan(1e-3);
        expect(worst).toBeLessThan(1e-6);
      } finally {
        await tf.setBackend("cpu");
      }
    },
    30_000,
  );
});

describe("synchronous data parallelism", () => {
  const data = synthetic(240);

  it.each([
    ["ps", false],
    ["ring", false],
    ["ring", true],
  ] as const)(
    "on 3 workers (%s, member to member: %s) equals one worker on the same global batches",
    async (aggregation, direct) => {
      const config: TrainingConfig = {
        ...DEFAULT_CONFIG,
        aggregation,
        direct,
        workers: 3,
        batchPerWorker: 8,
        learningRate: 0.2,
      };
      const { coordinator } = cluster(config, data);
      await trainUntil(coordinator, () => coordinator.step >= 4);
      const steps = coordinator.step;
      expect(steps).toBeGreaterThanOrEqual(4);

      // the reference: one worker, the concatenation of the three shards' batches at each step
      const reference = initialParameters(5);
      const parts = shards(data.count, 3);
      for (let s = 0; s < steps; s++) {
        const indices = Int32Array.from(
          parts.flatMap((shard) => [...batchIndices(shard, s, 8, 9)]),
        );
        const { gradient } = await lossAndGradient(tf, reference, gather(data, indices));
        applyGradient(reference, gradient, 0.2);
      }
      let worst = 0;
      for (let i = 0; i < reference.length; i++) {
        worst = Math.max(worst, Math.abs(reference[i]! - coordinator.params[i]!));
      }
      expect(worst).toBeLessThan(1e-5);
      const start = initialParameters(5);
      const moved = Math.max(...reference.map((v, i) => Math.abs(v - start[i]!)));
      expect(moved).toBeGreaterThan(1e-3); // training did move the parameters
      expect(coordinator.history.at(-1)!.examples).toBe(steps * 24);
    },
    30_000,
  );

  it("member to member at 8 bits, takes the very steps of `ringAllReduce` on each member's gradient", async () => {
    const config: TrainingConfig = {
      ...DEFAULT_CONFIG,
      aggregation: "ring",
      direct: true,
      bits: 8,
      workers: 3,
      batchPerWorker: 8,
      learningRate: 0.2,
    };
    const { coordinator } = cluster(config, data);
    await trainUntil(coordinator, () => coordinator.step >= 4);
    expect(coordinator.step).toBeGreaterThanOrEqual(4);
    const reference = initialParameters(5);
    const parts = shards(data.count, 3);
    for (let s = 0; s < coordinator.step; s++) {
      const gradients = [];
      for (const shard of parts) {
        const batch = gather(data, batchIndices(shard, s, 8, 9));
        gradients.push((await lossAndGradient(tf, reference, batch)).gradient);
      }
      applyGradient(reference, ringAllReduce(gradients, 8).averaged[0]!, 0.2);
    }
    let worst = 0;
    for (let i = 0; i < reference.length; i++) {
      worst = Math.max(worst, Math.abs(reference[i]! - coordinator.params[i]!));
    }
    expect(worst).toBeLessThan(1e-6);
    expect(coordinator.traffic.sentPerWorker).toBe(
      ringTraffic(3, parameterCount(), 8).sentPerWorker,
    );
  }, 30_000);

  it.each([false, true])(
    "lowers the loss, and goes on without a member that died when told to continue (ring member to member: %s)",
    async (direct) => {
      const config: TrainingConfig = {
        ...DEFAULT_CONFIG,
        ...(direct ? { aggregation: "ring" as const, direct } : {}),
        workers: 3,
        batchPerWorker: 16,
        timeoutMs: 300,
      };
      const { coordinator, links } = cluster(config, data);
      await trainUntil(coordinator, () => coordinator.step >= 3);
      links[1]!.crash();
      const at = coordinator.step;
      await trainUntil(coordinator, () => coordinator.step >= at + 8);
      expect(coordinator.step).toBeGreaterThanOrEqual(at + 8);
      expect(coordinator.members[1]!.phase).toBe("timed out");
      const first = coordinator.history[0]!.loss;
      const last = coordinator.history.at(-1)!.loss;
      expect(last).toBeLessThan(first);
    },
    30_000,
  );

  it.each([false, true])(
    "waits for a dead member when told to wait, and resumes when it restarts (ring member to member: %s)",
    async (direct) => {
      const config: TrainingConfig = {
        ...DEFAULT_CONFIG,
        ...(direct ? { aggregation: "ring" as const, direct } : {}),
        workers: 2,
        batchPerWorker: 8,
        timeoutMs: 200,
        onTimeout: "wait",
      };
      const { coordinator, links, attach } = cluster(config, data);
      await trainUntil(coordinator, () => coordinator.step >= 2);
      links[0]!.crash();
      const at = coordinator.step;
      await trainUntil(coordinator, () => false, 700);
      expect(coordinator.step).toBeLessThanOrEqual(at + 1); // at most the step under way
      const stalled = coordinator.step;
      attach(0);
      await trainUntil(coordinator, () => coordinator.step >= stalled + 3);
      expect(coordinator.step).toBeGreaterThanOrEqual(stalled + 3);
    },
    30_000,
  );

  it.each([false, true])(
    "still waits for the dead member after a pause and resume (ring member to member: %s)",
    async (direct) => {
      const config: TrainingConfig = {
        ...DEFAULT_CONFIG,
        ...(direct ? { aggregation: "ring" as const, direct } : {}),
        workers: 2,
        batchPerWorker: 8,
        timeoutMs: 200,
        onTimeout: "wait",
      };
      const { coordinator, links, attach } = cluster(config, data);
      await trainUntil(coordinator, () => coordinator.step >= 2);
      links[0]!.crash();
      // the first run finds it dead, then is paused (its signal aborted)
      await trainUntil(coordinator, () => coordinator.members[0]!.phase === "timed out");
      expect(coordinator.members[0]!.phase).toBe("timed out");
      expect(coordinator.awaiting).toEqual([0]);
      expect(coordinator.checkpoint().awaiting).toEqual([0]);
      const paused = coordinator.step;
      // resumed: it must go on waiting, not train on with the one member left
      await trainUntil(coordinator, () => false, 700);
      expect(coordinator.step).toBeLessThanOrEqual(paused + 1);
      const stalled = coordinator.step;
      attach(0);
      await trainUntil(coordinator, () => coordinator.step >= stalled + 3);
      expect(coordinator.step).toBeGreaterThanOrEqual(stalled + 3);
      expect(coordinator.awaiting).toEqual([]);
      expect(coordinator.checkpoint().awaiting).toBeUndefined();
    },
    30_000,
  );

  it("a coordinator resumed from a checkpoint taken while waiting waits too", async () => {
    const config: TrainingConfig = {
      ...DEFAULT_CONFIG,
      workers: 2,
      batchPerWorker: 8,
      timeoutMs: 200,
      onTimeout: "wait",
    };
    const saved: Checkpoint = { ...fresh(), step: 4, draws: [4, 4], awaiting: [1] };
    expect(
      new Coordinator({ ...config, onTimeout: "continue" }, data.count, saved).awaiting,
    ).toEqual([]);
    const coordinator = new Coordinator(config, data.count, saved, 9);
    expect(coordinator.awaiting).toEqual([1]);
    const [page, member] = localLinks();
    void serveMember({ tf, link: member, data, backend: "cpu" });
    coordinator.attach(0, page);
    await trainUntil(coordinator, () => false, 600);
    expect(coordinator.step).toBe(4);
    const [page1, member1] = localLinks();
    void serveMember({ tf, link: member1, data, backend: "cpu" });
    coordinator.attach(1, page1);
    await trainUntil(coordinator, () => coordinator.step >= 6);
    expect(coordinator.step).toBeGreaterThanOrEqual(6);
    expect(coordinator.awaiting).toEqual([]);
  }, 30_000);

  it("with a backup worker, does not wait for a straggler", async () => {
    const config: TrainingConfig = { ...DEFAULT_CONFIG, workers: 3, backups: 1, batchPerWorker: 8 };
    const { coordinator } = cluster(config, data);
    coordinator.setSlowdown(2, 30);
    await trainUntil(coordinator, () => coordinator.step >= 6);
    expect(coordinator.step).toBeGreaterThanOrEqual(6);
    expect(coordinator.history.at(-1)!.examples).toBe(coordinator.step * 16); // two of three a step
  }, 30_000);

  it("resumes from a checkpoint where it left off", async () => {
    const config: TrainingConfig = { ...DEFAULT_CONFIG, workers: 2, batchPerWorker: 8 };
    const a = cluster(config, data).coordinator;
    await trainUntil(a, () => a.step >= 3);
    const saved = a.checkpoint();
    const b = cluster(config, data, saved).coordinator;
    expect(b.step).toBe(saved.step);
    expect([...b.params.subarray(0, 50)]).toEqual([...saved.params.subarray(0, 50)]);
    await trainUntil(b, () => b.step >= saved.step + 2);
    expect(b.step).toBeGreaterThanOrEqual(saved.step + 2);
  }, 30_000);
});

describe("asynchronous data parallelism", () => {
  it("lowers the loss, counts staleness, and carries on when a member dies", async () => {
    const data = synthetic(240);
    const config: TrainingConfig = {
      ...DEFAULT_CONFIG,
      mode: "async",
      workers: 3,
      batchPerWorker: 16,
      timeoutMs: 300,
      bits: 8,
      errorFeedback: true,
    };
    const { coordinator, links } = cluster(config, data);
    await trainUntil(coordinator, () => coordinator.step >= 6);
    links[2]!.crash();
    const at = coordinator.step;
    await trainUntil(coordinator, () => coordinator.step >= at + 12);
    expect(coordinator.step).toBeGreaterThanOrEqual(at + 12);
    const stale = coordinator.history.map((h) => h.staleness);
    expect(Math.max(...stale)).toBeGreaterThan(0);
    const early = coordinator.history.slice(0, 3).reduce((s, h) => s + h.loss, 0);
    const late = coordinator.history.slice(-3).reduce((s, h) => s + h.loss, 0);
    expect(late).toBeLessThan(early);
    expect(coordinator.traffic.sentPerWorker).toBeLessThan(parameterCount() * 1.1);
  }, 30_000);
});
