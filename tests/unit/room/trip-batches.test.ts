/**
 * Several batches a step for members behind a slow round trip: the choice of k from measured
 * overheads and speeds, the weighting of unequal batches in the mean, and a coordinator that
 * sends a slow member more batches, counts its examples and rejects a gradient that claims a
 * count it was not sent.
 */
import { describe, expect, it } from "vitest";
import { weightByCount, average } from "../../../src/ml/distributed/aggregate.ts";
import { Coordinator, DEFAULT_CONFIG } from "../../../src/ml/distributed/coordinator.ts";
import { initialParameters, parameterCount } from "../../../src/ml/distributed/mlp.ts";
import type { Link } from "../../../src/ml/distributed/transport.ts";
import {
  batchesFor,
  learningRateScale,
  ROOM_TRIPS,
  stepTarget,
  TripEstimate,
  type TripPolicy,
} from "../../../src/ml/distributed/trip-batches.ts";

const estimate = (tripMs: number, busyMs: number, batches: number, times = 3) => {
  const e = new TripEstimate();
  for (let i = 0; i < times; i++) e.observe(tripMs, busyMs, batches);
  return e;
};

describe("batches per round trip", () => {
  it("one batch until a step was measured; then enough to cover the slowest overhead", () => {
    const policy: TripPolicy = {
      maxBatches: 64,
      overheadFactor: 4,
      minStepMs: 0,
      maxStepMs: 400,
      maxLearningRateScale: 8,
    };
    expect(batchesFor(new TripEstimate(), 100, policy)).toBe(1);
    // a phone: 30 ms of messages around 5 ms of computing one batch
    const phone = estimate(35, 5, 1);
    // this browser's worker: 1 ms of messages, 3 ms a batch
    const worker = estimate(4, 3, 1);
    expect(phone.overheadMs).toBeCloseTo(30);
    expect(phone.perBatchMs).toBeCloseTo(5);
    const target = stepTarget([phone, worker], policy);
    expect(target).toBeCloseTo(120);
    expect(batchesFor(phone, target, policy)).toBe(18); // (120 − 30) / 5
    expect(batchesFor(worker, target, policy)).toBe(39); // (120 − 1) / 3
    // alone, with no floor on a step's time, the worker's own overhead is small: one batch a step
    expect(batchesFor(worker, stepTarget([worker], policy), policy)).toBe(1);
    // capped by the policy
    expect(batchesFor(worker, target, ROOM_TRIPS)).toBe(ROOM_TRIPS.maxBatches);
    // the room's policy has a floor on a step's time: alone, the worker gets several batches too
    const alone = stepTarget([worker], ROOM_TRIPS);
    expect(alone).toBe(ROOM_TRIPS.minStepMs);
    expect(batchesFor(worker, alone, ROOM_TRIPS)).toBe(Math.floor((alone - 1) / 3));
    expect(batchesFor(worker, alone, ROOM_TRIPS)).toBeGreaterThan(1);
  });

  it("medians: one step held up does not swing k; a member cannot claim more than its trip", () => {
    const e = estimate(35, 5, 1, 5);
    e.observe(500, 5, 1);
    expect(e.overheadMs).toBeCloseTo(30);
    const liar = estimate(10, 1e9, 1);
    expect(liar.overheadMs).toBe(0);
    expect(liar.perBatchMs).toBe(10);
    // and nonsense is not a sample
    liar.observe(NaN, 1, 1);
    liar.observe(5, 1, 0);
    expect(liar.samples).toBe(3);
  });

  it("a larger update takes a larger step: √ of its batches, capped", () => {
    expect(learningRateScale(128, 128, ROOM_TRIPS)).toBe(1);
    expect(learningRateScale(16 * 128, 128, ROOM_TRIPS)).toBe(4);
    expect(learningRateScale(48 * 128, 128, ROOM_TRIPS)).toBeCloseTo(Math.sqrt(48));
    expect(learningRateScale(1000 * 128, 128, ROOM_TRIPS)).toBe(ROOM_TRIPS.maxLearningRateScale);
  });

  it("the mean of unequal batches is the mean over all their examples", () => {
    const a = new Float32Array([1, 2]);
    const b = new Float32Array([4, 8]);
    const weighted = average(weightByCount([a, b], [3 * 16, 16]));
    // (3·a + b) / 4
    expect([...weighted]).toEqual([1.75, 3.5]);
    // equal counts: the same arrays, so the same mean to the last bit
    const same = [a, b];
    expect(weightByCount(same, [16, 16])).toBe(same);
  });
});

/** A member behind a slow link: answers each step after `delayMs`, with a zero gradient. */
function slowMember(delayMs: number, count: (sent: number) => number) {
  const sent: number[] = [];
  let deliver: (m: unknown) => void = () => {};
  const link: Link = {
    send(message) {
      const m = message as { k: string; step: number; version: number; indices: Int32Array };
      if (m.k !== "step") return;
      sent.push(m.indices.length);
      const received = performance.timeOrigin + performance.now();
      setTimeout(() => {
        deliver({
          k: "gradient",
          step: m.step,
          version: m.version,
          loss: 1,
          count: count(m.indices.length),
          gradient: { bits: 32, data: new Float32Array(parameterCount()) },
          times: { received, computed: received + 1, sent: received + 1 },
        });
      }, delayMs);
    },
    onMessage(listener) {
      deliver = listener;
      return () => {};
    },
    onClose: () => () => {},
    close: () => {},
  };
  return { link, sent, ready: () => deliver({ k: "ready", backend: "cpu", examples: 400 }) };
}

function coordinator() {
  return new Coordinator(
    { ...DEFAULT_CONFIG, workers: 1, batchPerWorker: 16, timeoutMs: 5000, trips: ROOM_TRIPS },
    400,
    { params: initialParameters(1), step: 0, elapsed: 0, examples: 0, draws: [] },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a coordinator with trips", () => {
  it("sends a slow member several batches a step and counts their examples", async () => {
    const c = coordinator();
    const member = slowMember(20, (n) => n);
    c.attach(0, member.link);
    member.ready();
    const controller = new AbortController();
    const running = c.run(controller.signal);
    while (c.step < 8) await sleep(5);
    controller.abort();
    await running;
    expect(member.sent[0]).toBe(16);
    expect(Math.max(...member.sent)).toBe(16 * ROOM_TRIPS.maxBatches);
    for (const n of member.sent) expect(n % 16).toBe(0);
    const applied = member.sent.slice(0, c.step).reduce((s, n) => s + n, 0);
    expect(c.examples).toBe(applied);
    expect(c.members[0]!.batches).toBe(ROOM_TRIPS.maxBatches);
  });

  it("rejects a gradient whose count is not what its step was sent", async () => {
    const c = coordinator();
    const rejected: string[] = [];
    c.onRejected = (_rank, reason) => rejected.push(reason);
    // honest for one step, then claims one batch fewer than it was given
    let steps = 0;
    const member = slowMember(20, (n) => (steps++ === 0 ? n : n - 16));
    c.attach(0, member.link);
    member.ready();
    const controller = new AbortController();
    const running = c.run(controller.signal);
    while (rejected.length === 0) await sleep(5);
    controller.abort();
    await running;
    expect(rejected[0]).toMatch(/examples, not the step's/);
    expect(c.step).toBe(1);
  });
});
