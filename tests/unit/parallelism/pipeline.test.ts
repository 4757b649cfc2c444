import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeMnist, gunzip } from "../../../src/ml/mnist/idx.ts";
import {
  flatten,
  initMlp,
  microBatches,
  Stage,
  unflatten,
  type LayerParams,
} from "../../../src/ml/parallelism/mlp.ts";
import { bubble, idealBubble, pipelineStep } from "../../../src/ml/parallelism/pipeline.ts";
import { referenceStep, wholeNetwork } from "../../../src/ml/parallelism/reference.ts";

const data = join(import.meta.dirname, "..", "..", "..", "public", "data", "mnist");
let mnist: { images: Uint8Array; labels: Uint8Array };

beforeAll(async () => {
  await tf.setBackend("cpu");
  const read = (f: string) => gunzip(new Uint8Array(readFileSync(join(data, f))));
  const set = decodeMnist(
    await read("t10k-images-idx3-ubyte.gz"),
    await read("t10k-labels-idx1-ubyte.gz"),
  );
  mnist = { images: set.images, labels: set.labels };
});

const SIZES = [784, 64, 48, 32, 10];
const LR = 0.1;

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe("pipelined model parallelism", () => {
  it.each([1, 4, 7])(
    "two stages with %i micro-batches train the same parameters as the unsplit network",
    (micro) => {
      const before = tf.memory().numTensors;
      const layers = initMlp(SIZES, 3);
      const whole = wholeNetwork(tf, layers, LR);
      const first = new Stage(tf, layers.slice(0, 1), { last: false, lr: LR });
      const second = new Stage(tf, layers.slice(1), { last: true, lr: LR });
      const lossesA: number[] = [];
      const lossesB: number[] = [];
      for (let step = 0; step < 4; step++) {
        lossesA.push(referenceStep(tf, whole, mnist, step * 50, 50));
        lossesB.push(pipelineStep(tf, [first, second], mnist, step * 50, 50, micro));
      }
      const split = new Float32Array([...first.parameters(), ...second.parameters()]);
      const unsplit = whole.parameters();
      expect(maxDifference(split, unsplit)).toBeLessThan(1e-5);
      // training did move the parameters, and the loss went down
      expect(maxDifference(unsplit, flatten(layers))).toBeGreaterThan(1e-3);
      expect(lossesB.at(-1)!).toBeLessThan(lossesB[0]!);
      lossesA.forEach((l, i) => expect(lossesB[i]).toBeCloseTo(l, 5));
      for (const s of [whole, first, second]) s.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it("accumulated gradients equal the gradient of the whole batch", () => {
    const layers = initMlp(SIZES, 5);
    const a = wholeNetwork(tf, layers, LR);
    const b = wholeNetwork(tf, layers, LR);
    const x = tf.tensor2d(
      new Float32Array(12 * 784).map((_, i) => (i % 13) / 13),
      [12, 784],
    );
    const y = tf
      .oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], "int32"), 10)
      .toFloat() as tf.Tensor2D;
    tf.dispose(a.lossBackward(x, y, 1, false).loss);
    for (const [from, n] of [
      [0, 5],
      [5, 7],
    ] as const) {
      const xs = x.slice([from, 0], [n, 784]);
      const ys = y.slice([from, 0], [n, 10]);
      tf.dispose([b.lossBackward(xs, ys, n / 12, false).loss, xs, ys]);
    }
    expect(maxDifference(a.takeGradients(), b.takeGradients())).toBeLessThan(1e-6);
    tf.dispose([x, y]);
    a.dispose();
    b.dispose();
  });
});

describe("helpers", () => {
  it("flatten and unflatten are inverses", () => {
    const layers: LayerParams[] = initMlp([3, 2, 1], 1);
    const back = unflatten([3, 2, 1], flatten(layers));
    expect(back.map((l) => [...l.w, ...l.b])).toEqual(layers.map((l) => [...l.w, ...l.b]));
    expect(() => unflatten([3, 2], flatten(layers))).toThrow(/expected/);
  });

  it("splits a batch into even micro-batches", () => {
    expect(microBatches(10, 4)).toEqual([2, 3, 2, 3]);
    expect(microBatches(3, 8)).toEqual([1, 1, 1]);
    expect(microBatches(8, 1)).toEqual([8]);
  });

  it("measures the bubble of a timeline", () => {
    // stage 0 busy 0–1 and 3–4, stage 1 busy 1–3: span 4, busy 4 of 8
    const b = bubble([
      { stage: 0, kind: "F", micro: 0, t0: 0, t1: 1 },
      { stage: 1, kind: "FB", micro: 0, t0: 1, t1: 3 },
      { stage: 0, kind: "B", micro: 0, t0: 3, t1: 4 },
    ]);
    expect(b.span).toBe(4);
    expect(b.idle).toBeCloseTo(0.5);
    expect(idealBubble(1)).toBeCloseTo(0.5);
    expect(idealBubble(8)).toBeCloseTo(1 / 9);
  });
});
