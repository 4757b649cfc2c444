import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultState } from "../../../src/ml/playground/config.ts";
import { JsTrainer } from "../../../src/ml/playground/js-trainer.ts";
import { PlaygroundTrainer } from "../../../src/ml/playground/trainer.ts";

const SIZES = { gridSize: 20, thumbSize: 8 };

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Trains both for `epochs`, reading the losses after every epoch, as a page pulling each frame. */
function traces(change: Partial<ReturnType<typeof defaultState>>, epochs: number) {
  const state = { ...defaultState(), ...change };
  const js = new JsTrainer(state, SIZES);
  const tfTrainer = new PlaygroundTrainer(tf, state, SIZES);
  const out: Array<[number, number]> = [];
  for (let e = 0; e < epochs; e++) {
    js.trainEpoch();
    tfTrainer.trainEpoch();
    out.push([js.testLoss, tfTrainer.testLoss]);
    expect(js.trainLoss).toBeCloseTo(tfTrainer.trainLoss, 5);
  }
  return { js, tfTrainer, out };
}

describe("the plain-TypeScript trainer", () => {
  it.each([
    [{}],
    [{ dataset: "xor" as const, activation: "relu" as const, hiddenLayers: [3, 2] }],
    [{ regularization: "L2" as const, regularizationRate: 0.01, batchSize: 3 }],
  ])("follows the TensorFlow.js trainer's loss trace within 1e-5 (%o)", (change) => {
    const { js, tfTrainer, out } = traces(change, 30);
    for (const [a, b] of out) expect(Math.abs(a - b)).toBeLessThan(1e-5);
    const a = js.pictures();
    const b = tfTrainer.pictures();
    expect(a.output.length).toBe(b.output.length);
    expect(a.neurons.length).toBe(b.neurons.length);
    a.output.forEach((v, i) => expect(Math.abs(v - b.output[i]!)).toBeLessThan(1e-4));
    a.neurons.forEach((v, i) => expect(Math.abs(v - b.neurons[i]!)).toBeLessThan(1e-4));
    const w = tfTrainer.weights();
    js.weights().forEach((v, i) => expect(Math.abs(v - w[i]!)).toBeLessThan(1e-4));
    tfTrainer.dispose();
  });

  it("keeps its weights on a hyperparameter change and starts afresh on a data change", () => {
    const js = new JsTrainer(defaultState(), SIZES);
    for (let e = 0; e < 5; e++) js.trainEpoch();
    const before = js.weights();
    expect(js.setState({ ...js.state, regularization: "L1" })).toBe("hyper");
    expect(js.weights()).toEqual(before);
    expect(js.epoch).toBe(5);
    expect(js.setState({ ...js.state, dataset: "xor" })).toBe("data");
    expect(js.epoch).toBe(0);
    expect(js.run).toBe(1);
    const losses = js.takeLosses();
    expect(losses.length % 3).toBe(0);
    expect(losses.at(-3)).toBe(0);
  });
});

describe("carrying a run over to a new worker", () => {
  it.each([
    ["plain TypeScript", (s: ReturnType<typeof defaultState>) => new JsTrainer(s, SIZES)],
    ["TensorFlow.js", (s: ReturnType<typeof defaultState>) => new PlaygroundTrainer(tf, s, SIZES)],
  ])("%s: a restored run goes on as if it had never stopped", (_, make) => {
    const state = { ...defaultState(), dataset: "xor" as const };
    const straight = make(state);
    const first = make(state);
    for (let e = 0; e < 8; e++) {
      straight.trainEpoch();
      first.trainEpoch();
    }
    const checkpoint = first.checkpoint();
    first.dispose();
    const second = make(state);
    second.restore(checkpoint);
    expect(second.epoch).toBe(8);
    for (let e = 0; e < 8; e++) {
      straight.trainEpoch();
      second.trainEpoch();
    }
    expect(second.epoch).toBe(16);
    expect(second.testLoss).toBeCloseTo(straight.testLoss, 6);
    expect(Array.from(second.weights())).toEqual(Array.from(straight.weights()));
    straight.dispose();
    second.dispose();
  });

  it("refuses weights of another network, and a checkpoint without weights is a fresh run", () => {
    const js = new JsTrainer(defaultState(), SIZES);
    js.trainEpoch();
    const other = new JsTrainer({ ...defaultState(), hiddenLayers: [2] }, SIZES);
    expect(() => other.restore(js.checkpoint())).toThrow(/expected \d+ parameters/);
    other.restore({ run: 7, epoch: 3 });
    expect([other.run, other.epoch]).toEqual([7, 0]);
  });
});
