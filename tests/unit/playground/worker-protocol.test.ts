import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultState } from "../../../src/ml/playground/config.ts";
import { featurize } from "../../../src/ml/playground/features.ts";
import {
  parseToWorker,
  stateKey,
  transferables,
  type FromWorker,
} from "../../../src/ml/playground/protocol.ts";
import {
  createNetwork,
  flattenWeights,
  getWeights,
  loss,
  trainEpoch,
} from "../../../src/ml/playground/reference-network.ts";
import { layerSizes, specFromState } from "../../../src/ml/playground/network-spec.ts";
import { rngFor } from "../../../src/ml/playground/random.ts";
import { TrainingSession } from "../../../src/ml/playground/session.ts";
import { classifyChange } from "../../../src/ml/playground/state-diff.ts";
import { PlaygroundTrainer, pointsFor } from "../../../src/ml/playground/trainer.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("classifyChange", () => {
  const base = defaultState();
  it.each([
    [{ dataset: "xor" as const }, "data"],
    [{ noise: 10 }, "data"],
    [{ features: ["x1" as const] }, "data"],
    [{ seed: "other" }, "data"],
    [{ hiddenLayers: [3] }, "network"],
    [{ activation: "relu" as const }, "network"],
    [{ learningRate: 0.1 }, "hyper"],
    [{ batchSize: 3, regularization: "L1" as const }, "hyper"],
    [{ discretize: true }, "view"],
    [{ hiddenLayers: [4, 2] }, "none"],
    [{ learningRate: 0.1, hiddenLayers: [1], noise: 5 }, "data"],
  ])("%o is a %s change", (change, kind) => {
    expect(classifyChange(base, { ...base, ...change })).toBe(kind);
  });
});

describe("worker messages", () => {
  it("accepts well-formed commands and rejects the rest", () => {
    const state = defaultState();
    expect(parseToWorker({ type: "pull" })).toEqual({ type: "pull" });
    expect(parseToWorker({ type: "state", state })).toEqual({ type: "state", state });
    expect(
      parseToWorker({ type: "init", state, gridSize: 100, thumbSize: 25, backend: "cpu" }),
    ).toMatchObject({ type: "init", backend: "cpu" });
    expect(
      parseToWorker({ type: "init", state, gridSize: 1, thumbSize: 25, backend: "cpu" }),
    ).toBeUndefined();
    expect(
      parseToWorker({ type: "init", state, gridSize: 100, thumbSize: 25, backend: "webgl" }),
    ).toBeUndefined();
    expect(parseToWorker({ type: "state", state: { ...state, learningRate: 99 } })).toBeUndefined();
    expect(
      parseToWorker({ type: "state", state: { ...state, hiddenLayers: "4,2" } }),
    ).toBeUndefined();
    expect(parseToWorker({ type: "nope" })).toBeUndefined();
    expect(parseToWorker(null)).toBeUndefined();
  });

  it("carries a checkpoint into a new worker only when it is well formed", () => {
    const state = defaultState();
    const init = { type: "init", state, gridSize: 100, thumbSize: 25, backend: "js" };
    const weights = new Float64Array([0.5, -1]);
    expect(parseToWorker({ type: "checkpoint" })).toEqual({ type: "checkpoint" });
    expect(parseToWorker({ ...init, from: { run: 2, epoch: 40, weights } })).toMatchObject({
      from: { run: 2, epoch: 40, weights },
    });
    expect(parseToWorker({ ...init, from: { run: 3, epoch: 0 } })).toMatchObject({
      from: { run: 3, epoch: 0 },
    });
    for (const from of [
      { run: -1, epoch: 0 },
      { run: 1, epoch: 0.5 },
      { run: 1, epoch: 2, weights: [0.5, -1] },
      { run: 1, epoch: 2, weights: new Float64Array([NaN]) },
    ])
      expect(parseToWorker({ ...init, from })).toBeUndefined();
  });
});

/** A session on a fake clock: `later` queues, `run` drains the queue. */
function fakeSession(options = { sliceMs: 5, leaseMs: 100 }) {
  let now = 0;
  const queue: Array<() => void> = [];
  const posted: FromWorker[] = [];
  const trainer = new PlaygroundTrainer(tf, defaultState(), { gridSize: 10, thumbSize: 5 });
  const origTrain = trainer.trainEpoch.bind(trainer);
  trainer.trainEpoch = () => {
    now += 2; // each epoch "takes" 2 ms
    origTrain();
  };
  const session = new TrainingSession(
    trainer,
    {
      now: () => now,
      post: (m, transfer) => {
        if (m.type === "snapshot") expect(transfer).toEqual(transferables(m.snapshot));
        posted.push(m);
      },
      later: (fn) => queue.push(fn),
    },
    options,
  );
  const run = (max = 1000) => {
    for (let i = 0; i < max && queue.length; i++) queue.shift()?.();
  };
  return { session, trainer, posted, run, advance: (ms: number) => (now += ms) };
}

describe("TrainingSession", () => {
  it("answers a pull with one snapshot, trains while pulled, stops when the pulls stop", () => {
    const { session, posted, run, advance } = fakeSession();
    session.handle({ type: "pull" });
    run();
    expect(posted).toHaveLength(1);
    session.handle({ type: "play" });
    run(3);
    expect(session.epoch).toBeGreaterThan(0);
    // no pull pending: nothing more is posted, however long it trains
    const after = posted.length;
    run(3);
    expect(posted.length).toBe(after);
    session.handle({ type: "pull" });
    const atPull = session.epoch;
    run(1);
    expect(posted.length).toBe(after + 1);
    // the page stops pulling: training stops once the lease (100 ms, 50 epochs here) runs out
    run();
    const stopped = session.epoch;
    expect(stopped - atPull).toBeLessThanOrEqual(50 + 3);
    advance(1000);
    run();
    expect(session.epoch).toBe(stopped);
    session.handle({ type: "pull" });
    run(2);
    expect(session.epoch).toBeGreaterThan(stopped);
    session.dispose();
  }, 30_000); // TensorFlow.js on the cpu backend: slow when the machine is busy

  it("answers a checkpoint request with the run's epoch and weights", () => {
    const { session, posted, run } = fakeSession();
    session.handle({ type: "step" });
    session.handle({ type: "step" });
    run();
    session.handle({ type: "checkpoint" });
    const answer = posted.find((m) => m.type === "checkpoint");
    expect(answer?.type === "checkpoint" && answer.checkpoint).toMatchObject({ run: 0, epoch: 2 });
    const weights = answer?.type === "checkpoint" ? answer.checkpoint.weights : undefined;
    expect(weights?.length).toBeGreaterThan(0);
    session.dispose();
  });

  it("sends each measured loss once, epochs increasing to the last, and a fresh run after a reset", () => {
    const { session, posted, run } = fakeSession();
    session.handle({ type: "play" });
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      session.handle({ type: "pull" });
      run(2);
    }
    session.handle({ type: "pause" });
    session.handle({ type: "pull" });
    run();
    const snaps = posted.flatMap((m) => (m.type === "snapshot" ? [m.snapshot] : []));
    let previous = -1;
    for (const s of snaps) {
      for (let k = 0; k < s.losses.length; k += 3) {
        expect(s.losses[k]).toBeGreaterThan(previous);
        previous = s.losses[k] as number;
        losses.push(s.losses[k + 1] as number, s.losses[k + 2] as number);
      }
    }
    const last = snaps.at(-1)!;
    expect(previous).toBe(last.epoch);
    expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    expect(last.playing).toBe(false);
    session.handle({ type: "reset" });
    session.handle({ type: "pull" });
    run();
    const fresh = posted.at(-1);
    expect(fresh?.type === "snapshot" && fresh.snapshot.epoch).toBe(0);
    expect(fresh?.type === "snapshot" && fresh.snapshot.run).toBe(last.run + 1);
    session.dispose();
  });

  it("step trains exactly one epoch and pauses", () => {
    const { session, run } = fakeSession();
    session.handle({ type: "play" });
    session.handle({ type: "step" });
    run();
    expect(session.epoch).toBe(1);
    expect(session.playing).toBe(false);
    session.dispose();
  });
});

describe("PlaygroundTrainer", () => {
  it("starts from the reference's weights and follows its losses", () => {
    const state = { ...defaultState(), dataset: "xor" as const, batchSize: 7 };
    const before = tf.memory().numTensors;
    const trainer = new PlaygroundTrainer(tf, state, { gridSize: 8, thumbSize: 4 });
    const spec = specFromState(state);
    const ref = createNetwork(
      layerSizes(spec),
      spec.activation,
      spec.outputActivation,
      spec.regularization,
      rngFor(state.seed, "weights"),
    );
    const { train, test } = pointsFor(state);
    const tr = featurize(train, state.features);
    const te = featurize(test, state.features);
    expect(Array.from(trainer.weights())).toEqual(
      Array.from(Float32Array.from(flattenWeights(getWeights(ref)))),
    );
    for (let e = 0; e < 10; e++) {
      trainer.trainEpoch();
      trainEpoch(ref, tr, state.batchSize, state.learningRate, state.regularizationRate);
      expect(Math.abs(trainer.trainLoss - loss(ref, tr))).toBeLessThan(1e-5);
      expect(Math.abs(trainer.testLoss - loss(ref, te))).toBeLessThan(1e-5);
    }
    const { output, neurons } = trainer.pictures();
    expect(output.length).toBe(64);
    expect(neurons.length).toBe((4 + 2) * 16);
    expect(stateKey(trainer.state)).toContain("d=xor");
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("keeps running through live changes and restarts on new data or layers", () => {
    const trainer = new PlaygroundTrainer(tf, defaultState(), { gridSize: 8, thumbSize: 4 });
    trainer.trainEpoch();
    expect(trainer.setState({ ...trainer.state, learningRate: 0.3, batchSize: 4 })).toBe("hyper");
    trainer.trainEpoch();
    expect(trainer.epoch).toBe(2);
    expect(trainer.setState({ ...trainer.state, hiddenLayers: [3] })).toBe("network");
    expect(trainer.epoch).toBe(0);
    expect(trainer.setState({ ...trainer.state, features: ["x1", "x2", "x1x2"] })).toBe("data");
    trainer.trainEpoch();
    expect(trainer.weights().length).toBe(3 * 3 + 3 + 3 + 1);
    trainer.dispose();
  });
});
