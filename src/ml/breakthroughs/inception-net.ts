/**
 * A small Inception network for MNIST digits: a strided 3×3 stem, one Inception module (the four
 * branches of GoogLeNet at a hundredth of the width), a 2×2 max pooling and a softmax layer.
 *
 *   28×28×1 → conv 3×3 /2, 16 → inception (1×1 16 | 1×1 16 → 3×3 24 | 1×1 4 → 5×5 8 | pool → 1×1 8)
 *   → 14×14×56 → max pool 2 → flatten (2,744) → dense 10, softmax
 *
 * Trained by `npm run train:inception` (weights in public/data/inception-model/) with the digit
 * network's training loop, and opened up layer by layer by `runWithBranches`.
 */
import type * as TF from "@tensorflow/tfjs";
import { BRANCHES, branchOf, inceptionBlock, type Branch, type Tf } from "./inception.ts";

export const INCEPTION_NET_CHANNELS = { b1: 16, b3r: 16, b3: 24, b5r: 4, b5: 8, pool: 8 } as const;
export const INCEPTION_MODEL_JSON = "data/inception-model/model.json";
export const INCEPTION_LEARNING_RATE = 0.003;

export function createInceptionNet(
  tf: Tf,
  {
    seed = 3,
    learningRate = INCEPTION_LEARNING_RATE,
  }: { seed?: number; learningRate?: number } = {},
): TF.LayersModel {
  const input = tf.input({ shape: [28, 28, 1], name: "digit" });
  const stem = tf.layers
    .conv2d({
      filters: 16,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation: "relu",
      kernelInitializer: tf.initializers.heNormal({ seed: seed * 64 + 60 }),
      name: "stem",
    })
    .apply(input) as TF.SymbolicTensor;
  const mixed = inceptionBlock(tf, stem, INCEPTION_NET_CHANNELS, { name: "inception", seed });
  const pooled = tf.layers.maxPooling2d({ poolSize: 2, name: "pool" }).apply(mixed);
  const flat = tf.layers.flatten({ name: "flatten" }).apply(pooled);
  const output = tf.layers
    .dense({
      units: 10,
      activation: "softmax",
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 64 + 61 }),
      name: "label",
    })
    .apply(flat) as TF.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: "inception-mnist" });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: "categoricalCrossentropy" });
  return model;
}

export function loadInceptionNet(tf: Tf, base: string): Promise<TF.LayersModel> {
  return tf.loadLayersModel(new URL(INCEPTION_MODEL_JSON, base).href);
}

export interface FeatureMaps {
  /** layer name */
  name: string;
  branch: Branch | undefined;
  /** side of each (square) map */
  size: number;
  channels: number;
  /** size × size × channels, channels last */
  data: Float32Array;
}

export interface BranchView {
  /** the 28×28 image the network read */
  input: FeatureMaps;
  /** the stem's maps, what every branch reads */
  stem: FeatureMaps;
  /** the last layer of each branch, in branch order: what the concatenation receives */
  branches: FeatureMaps[];
  probabilities: Float32Array;
}

/**
 * Runs the network on one 28×28 image by walking its layers in order (each layer's inputs are
 * the outputs of the layers its inbound node names), keeping every feature map: no second
 * model is built on the same layers, so nothing else holds on to the weights.
 */
export async function runWithBranches(
  tf: Tf,
  model: TF.LayersModel,
  image: Float32Array,
): Promise<BranchView> {
  const concat = model.layers.find((l) => l.getClassName() === "Concatenate");
  const stemLayer = model.layers.find((l) => l.name === "stem");
  if (!concat || !stemLayer) throw new Error("this model has no Inception module to open");
  const feeding = concat.inboundNodes[0]!.inboundLayers;
  const order = (l: TF.layers.Layer) => BRANCHES.indexOf(branchOf(l.name) ?? "pool");
  const branchLayers = [...feeding].sort((a, b) => order(a) - order(b));
  const kept = tf.tidy(() => {
    const outputs = new Map<string, TF.Tensor>();
    for (const layer of model.layers) {
      const from = layer.inboundNodes[0]?.inboundLayers ?? [];
      if (!from.length) {
        outputs.set(layer.name, tf.tensor4d(image, [1, 28, 28, 1]));
        continue;
      }
      const inputs = from.map((l) => outputs.get(l.name)!);
      outputs.set(layer.name, layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as TF.Tensor);
    }
    const last = model.layers[model.layers.length - 1]!;
    return [stemLayer, ...branchLayers, last].map((l) => outputs.get(l.name)!);
  });
  try {
    const data = await Promise.all(kept.map((t) => t.data() as Promise<Float32Array>));
    const maps = (layer: TF.layers.Layer, i: number): FeatureMaps => ({
      name: layer.name,
      branch: branchOf(layer.name),
      size: kept[i]!.shape[1]!,
      channels: kept[i]!.shape[3]!,
      data: data[i]!,
    });
    return {
      input: { name: "digit", branch: undefined, size: 28, channels: 1, data: image },
      stem: maps(stemLayer, 0),
      branches: branchLayers.map((l, i) => maps(l, i + 1)),
      probabilities: data[data.length - 1]!,
    };
  } finally {
    tf.dispose(kept);
  }
}
