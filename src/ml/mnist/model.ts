/**
 * The digit network: a small convolutional network, about 12,000 weights.
 *
 *   28×28×1 pixels → conv 5×5, 8 filters, ReLU → max-pool 2 → conv 5×5, 16 filters, ReLU
 *   → max-pool 2 → flatten (256) → dense 32, ReLU → dense 10, softmax (the label)
 *
 * TensorFlow.js is passed in, not imported, so this module costs nothing until a caller has
 * loaded it (the page's `tf`, or Node's in the training script and the unit tests).
 */
import type * as TF from "@tensorflow/tfjs";
import type { LabelledImages } from "./idx.ts";

export type Tf = typeof TF;

export const CLASSES = 10;
export const PIXELS = 28;

export interface ModelOptions {
  /** seeds the initial weights (each layer gets its own stream) */
  seed?: number;
  learningRate?: number;
}

export const DEFAULT_MODEL = { seed: 7, learningRate: 0.003 } as const;

/** What each layer of the picture is called, in model order (pooling and flatten have none). */
export const LAYER_ROLES = [
  "conv1",
  "pool1",
  "conv2",
  "pool2",
  "flatten",
  "hidden",
  "output",
] as const;

export function createDigitModel(tf: Tf, options: ModelOptions = {}): TF.Sequential {
  const seed = options.seed ?? DEFAULT_MODEL.seed;
  const init = (k: number) => tf.initializers.heNormal({ seed: seed * 16 + k });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [PIXELS, PIXELS, 1],
        filters: 8,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        activation: "relu",
        kernelInitializer: init(1),
      }),
      tf.layers.conv2d({
        filters: 16,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        activation: "relu",
        kernelInitializer: init(2),
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 32, activation: "relu", kernelInitializer: init(3) }),
      tf.layers.dense({
        units: CLASSES,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 16 + 4 }),
      }),
    ],
  });
  compileDigitModel(tf, model, options.learningRate);
  return model;
}

export function compileDigitModel(
  tf: Tf,
  model: TF.LayersModel,
  learningRate: number = DEFAULT_MODEL.learningRate,
): void {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: "categoricalCrossentropy" });
}

/** Frees a model's weights and its optimizer's state (Adam keeps two tensors per weight). */
export function disposeDigitModel(model: TF.LayersModel): void {
  const optimizer = model.optimizer as TF.Optimizer | undefined;
  model.dispose();
  optimizer?.dispose();
}

/** Images `from…to` of a set as a float batch [n, 28, 28, 1] in 0…1 (plain numbers, no tensor). */
export function imageBatch(set: LabelledImages, indices: ArrayLike<number>): Float32Array {
  const size = set.rows * set.cols;
  const out = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const offset = indices[k]! * size;
    for (let p = 0; p < size; p++) out[k * size + p] = set.images[offset + p]! / 255;
  }
  return out;
}

/** One-hot labels [n, 10] for the images at `indices`. */
export function labelBatch(set: LabelledImages, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * CLASSES);
  for (let k = 0; k < indices.length; k++) out[k * CLASSES + set.labels[indices[k]!]!] = 1;
  return out;
}

/** What one forward pass computes, layer by layer, for one image. */
export interface Activations {
  /** the 28×28 input, 0…1 */
  input: Float32Array;
  /** first convolution: 8 maps of 24×24 (channels last) */
  conv1: { data: Float32Array; size: number; channels: number };
  /** second convolution: 16 maps of 8×8 */
  conv2: { data: Float32Array; size: number; channels: number };
  /** the 32 dense hidden units */
  hidden: Float32Array;
  /** the ten class probabilities */
  probabilities: Float32Array;
}

/**
 * Runs `model` on one 28×28 image, keeping every layer's output. Layers are applied one by one
 * to concrete tensors, so no second model shares (and keeps alive) the weights.
 */
export async function forwardWithActivations(
  tf: Tf,
  model: TF.LayersModel,
  image: Float32Array,
): Promise<Activations> {
  const outputs = tf.tidy(() => {
    let h: TF.Tensor = tf.tensor4d(image, [1, PIXELS, PIXELS, 1]);
    const kept: TF.Tensor[] = [];
    for (const layer of model.layers) {
      h = layer.apply(h) as TF.Tensor;
      kept.push(h);
    }
    return kept;
  });
  try {
    const data = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
    const shapeOf = (i: number) => outputs[i]!.shape;
    const map = (i: number) => ({
      data: data[i]!,
      size: shapeOf(i)[1] ?? 0,
      channels: shapeOf(i)[3] ?? 0,
    });
    return {
      input: image,
      conv1: map(0),
      conv2: map(1),
      hidden: data[3]!,
      probabilities: data[4]!,
    };
  } finally {
    tf.dispose(outputs);
  }
}

/** The ten probabilities for one 28×28 image. */
export async function predictDigit(
  tf: Tf,
  model: TF.LayersModel,
  image: Float32Array,
): Promise<Float32Array> {
  const out = tf.tidy(() => model.predict(tf.tensor4d(image, [1, PIXELS, PIXELS, 1])) as TF.Tensor);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}
