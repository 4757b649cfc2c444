/**
 * Real tensors a click away: a grey-scale MNIST digit (rank 2), a colour picture [h, w, 3]
 * drawn by TensorFlow.js ops, a batch of digits (rank 4) and a sentence as a sequence of
 * word vectors. The MNIST file is fetched once per page, on first use, and shared.
 */
import type * as TF from "@tensorflow/tfjs";
import type { LabelledImages } from "../../ml/mnist/idx.ts";
import { loadMnist } from "../../ml/mnist/load.ts";
import type { Example } from "./explorer.ts";

type Tf = typeof TF;

let mnist: Promise<LabelledImages> | undefined;

/** The MNIST test digits, fetched once (a failed fetch is retried next time). */
export function mnistDigits(base: string): Promise<LabelledImages> {
  mnist ??= loadMnist(base).catch((e: unknown) => {
    mnist = undefined;
    throw e;
  });
  return mnist;
}

/** Digit `i` as 28 × 28 numbers from 0 (paper) to 1 (ink). */
export function digitImage(set: LabelledImages, i: number): Float32Array {
  const n = set.rows * set.cols;
  return Float32Array.from(set.images.subarray(i * n, (i + 1) * n), (v) => v / 255);
}

/** A small sunset, [h, w, 3], made with tensor ops: a sky gradient, a sun, the sea. */
export function sunset(tf: Tf, size = 8): Float32Array {
  return tf.tidy(() => {
    const y = tf.linspace(0, 1, size).reshape([size, 1]);
    const x = tf.linspace(0, 1, size).reshape([1, size]);
    const dist = x.sub(0.5).square().add(y.sub(0.55).square()).sqrt();
    const sun = tf.sub(1, dist.mul(5)).clipByValue(0, 1);
    const sea = y.greater(0.62).toFloat().tile([1, size]);
    const sky = tf.sub(1, sea);
    const r = sky
      .mul(tf.add(0.55, y.mul(0.45)))
      .add(sun)
      .add(sea.mul(0.1))
      .clipByValue(0, 1);
    const g = sky
      .mul(tf.add(0.25, y.mul(0.35)))
      .add(sun.mul(0.8))
      .add(sea.mul(0.3))
      .clipByValue(0, 1);
    const b = sky
      .mul(tf.sub(0.7, y.mul(0.5)))
      .add(sea.mul(0.6))
      .clipByValue(0, 1);
    return tf.stack([r, g, b], 2).mul(100).round().div(100).dataSync() as Float32Array;
  });
}

/** Word vectors for a sentence: each word gets the same 4 numbers every time (seeded by its letters). */
export function wordVectors(tf: Tf, words: string[], dims = 4): Float32Array {
  return tf.tidy(() => {
    const rows = words.map((w) => {
      const seed = [...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100003, 7);
      return tf.randomUniform([dims], -1, 1, "float32", seed);
    });
    return tf.stack(rows).mul(100).round().div(100).dataSync() as Float32Array;
  });
}

export function standardExamples(tf: Tf, base: string): Example[] {
  const sentence = "the cat sat on the mat".split(" ");
  return [
    {
      label: "digit",
      about:
        "an MNIST digit: a grey-scale image is a matrix, rank 2, [28, 28]; m[row][column] is the ink of one pixel",
      load: async () => {
        const set = await mnistDigits(base);
        return { shape: [28, 28], values: digitImage(set, 0), tint: "grey" };
      },
    },
    {
      label: "colour image",
      about:
        "a colour picture is rank 3, [height, width, 3]: a cube whose depth is red, green and blue",
      load: async () => ({ shape: [8, 8, 3], values: sunset(tf), tint: "rgb" }),
    },
    {
      label: "batch of digits",
      about:
        "a batch of images is rank 4, [batch, height, width, channels]: what a convolutional network takes in",
      load: async () => {
        const set = await mnistDigits(base);
        const values = new Float32Array(4 * 784);
        for (let i = 0; i < 4; i++) values.set(digitImage(set, i), i * 784);
        return { shape: [4, 28, 28, 1], values, tint: "grey" };
      },
    },
    {
      label: "sentence",
      about: `a sentence is a sequence of word vectors: [${sentence.length} words, 4 numbers each]; the same word gets the same vector`,
      load: async () => ({
        shape: [sentence.length, 4],
        values: wordVectors(tf, sentence),
        tint: "diverging",
        rowLabels: sentence,
      }),
    },
  ];
}
