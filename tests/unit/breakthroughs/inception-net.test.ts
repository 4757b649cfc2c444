import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import {
  INCEPTION_NET_CHANNELS,
  createInceptionNet,
  runWithBranches,
} from "../../../src/ml/breakthroughs/inception-net.ts";
import { decodeMnist } from "../../../src/ml/mnist/idx.ts";
import { imageBatch } from "../../../src/ml/mnist/model.ts";
import { splitHeldOut } from "../../../src/ml/mnist/split.ts";
import { gunzipSync } from "node:zlib";

const root = join(import.meta.dirname, "..", "..", "..");

async function shippedModel(): Promise<tf.LayersModel> {
  const dir = join(root, "public", "data", "inception-model");
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  const weights = readFileSync(join(dir, "weights.bin"));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}

describe("the small Inception network", () => {
  it("opens every branch for one digit, with the module's channel counts", async () => {
    const model = createInceptionNet(tf);
    const before = tf.memory().numTensors;
    const view = await runWithBranches(tf, model, new Float32Array(784).fill(0.5));
    expect(tf.memory().numTensors).toBe(before);
    expect(view.branches.map((b) => [b.branch, b.size, b.channels])).toEqual([
      ["1x1", 14, INCEPTION_NET_CHANNELS.b1],
      ["3x3", 14, INCEPTION_NET_CHANNELS.b3],
      ["5x5", 14, INCEPTION_NET_CHANNELS.b5],
      ["pool", 14, INCEPTION_NET_CHANNELS.pool],
    ]);
    expect(view.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    model.dispose();
  });

  it("ships weights that label held-out digits as the metadata says", async () => {
    const model = await shippedModel();
    const data = join(root, "public", "data", "mnist");
    const set = decodeMnist(
      gunzipSync(readFileSync(join(data, "t10k-images-idx3-ubyte.gz"))),
      gunzipSync(readFileSync(join(data, "t10k-labels-idx1-ubyte.gz"))),
    );
    const { heldOut } = splitHeldOut(set);
    const indices = Array.from({ length: 200 }, (_, i) => i);
    const predicted = tf.tidy(() =>
      (
        model.predict(tf.tensor4d(imageBatch(heldOut, indices), [200, 28, 28, 1])) as tf.Tensor
      ).argMax(-1),
    );
    const labels = await predicted.data();
    predicted.dispose();
    const right = indices.filter((i) => labels[i] === heldOut.labels[i]).length;
    expect(right / 200).toBeGreaterThan(0.94);
    const view = await runWithBranches(tf, model, imageBatch(heldOut, [0]));
    expect(view.probabilities.indexOf(Math.max(...view.probabilities))).toBe(labels[0]);
    model.dispose();
  });
});
