import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { LabelledImages } from "../../../src/ml/mnist/idx.ts";
import {
  createDigitModel,
  disposeDigitModel,
  forwardWithActivations,
  predictDigit,
} from "../../../src/ml/mnist/model.ts";
import { trainDigits } from "../../../src/ml/mnist/train.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Two easy classes: a vertical bar (label 1) and a horizontal bar (label 0). */
function bars(n: number): LabelledImages {
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    const at = 8 + (i % 12);
    for (let k = 4; k < 24; k++) images[i * 784 + (labels[i] ? k * 28 + at : at * 28 + k)] = 255;
  }
  return { count: n, rows: 28, cols: 28, images, labels };
}

describe("the digit network", () => {
  it("is seeded, keeps every layer's output, and leaks no tensor", async () => {
    const before = tf.memory().numTensors;
    const a = createDigitModel(tf, { seed: 3 });
    const b = createDigitModel(tf, { seed: 3 });
    const image = Float32Array.from(bars(1).images, (v) => v / 255);
    const [pa, pb] = [await predictDigit(tf, a, image), await predictDigit(tf, b, image)];
    expect([...pa]).toEqual([...pb]);
    expect(pa.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    const act = await forwardWithActivations(tf, a, image);
    expect(act.conv1).toMatchObject({ size: 14, channels: 8 });
    expect(act.conv2).toMatchObject({ size: 7, channels: 16 });
    expect(act.hidden.length).toBe(32);
    expect([...act.probabilities]).toEqual([...pa]);
    disposeDigitModel(a);
    disposeDigitModel(b);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("trains: held-out accuracy rises and is recorded after each evaluation", async () => {
    const before = tf.memory().numTensors;
    const model = createDigitModel(tf, { seed: 1, learningRate: 0.01 });
    const run = trainDigits(tf, model, bars(64), bars(20), {
      epochs: 2,
      batchSize: 16,
      seed: 1,
      evaluateEvery: 4,
    });
    let last;
    for (;;) {
      const { value, done } = await run.next();
      last = value;
      if (done) break;
    }
    expect(last.phase).toBe("done");
    expect(last.step).toBe(8);
    expect(last.history.map((p) => p.step)).toEqual([4, 8]);
    expect(last.history.at(-1)!.accuracy).toBe(1);
    disposeDigitModel(model);
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);
});
