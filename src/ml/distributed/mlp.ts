/**
 * The network every member trains: a multilayer perceptron on MNIST, 784 pixels → 64 ReLU → 10
 * logits, softmax cross-entropy. About 51,000 weights: small enough that one worker computes a
 * step in a few milliseconds on the wasm backend (so several workers fit on two cores), large
 * enough (200 KB at 32 bits) that what crosses the wire per step is worth counting. Dense layers
 * only: the wasm backend has every kernel their gradient needs.
 *
 * Parameters travel as one flat Float32Array (w1, b1, w2, b2 in that order), which is what a
 * parameter server stores and a ring all-reduce cuts into chunks. TensorFlow.js is passed in.
 */
import type * as TF from "@tensorflow/tfjs";

export type Tf = typeof TF;

export const INPUTS = 784;
export const HIDDEN = 64;
export const CLASSES = 10;

export interface Segment {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** Where each tensor sits in the flat parameter vector. */
export function layout(hidden = HIDDEN): Segment[] {
  const shapes: Array<[string, number[]]> = [
    ["w1", [INPUTS, hidden]],
    ["b1", [hidden]],
    ["w2", [hidden, CLASSES]],
    ["b2", [CLASSES]],
  ];
  let offset = 0;
  return shapes.map(([name, shape]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const segment = { name, shape, offset, size };
    offset += size;
    return segment;
  });
}

export function parameterCount(hidden = HIDDEN): number {
  const last = layout(hidden).at(-1)!;
  return last.offset + last.size;
}

/** A seeded uniform stream in [0, 1) (mulberry32): the same weights in Node and every browser. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** He-initialised weights (normal, σ = √(2 / fan-in)), zero biases. */
export function initialParameters(seed = 1, hidden = HIDDEN): Float32Array {
  const params = new Float32Array(parameterCount(hidden));
  const next = uniform(seed);
  for (const { name, shape, offset, size } of layout(hidden)) {
    if (name.startsWith("b")) continue;
    const sigma = Math.sqrt(2 / shape[0]!);
    for (let i = 0; i < size; i++) {
      const u = Math.max(next(), 1e-12);
      params[offset + i] = sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    }
  }
  return params;
}

export interface Batch {
  /** count × 784 pixels in [0, 1] */
  pixels: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface LossAndGradient {
  /** the mean cross-entropy over the batch */
  loss: number;
  /** ∂loss/∂params, flat, in the layout's order */
  gradient: Float32Array;
}

/**
 * The batch's mean loss and its gradient, by backpropagation written out: the same values as
 * TensorFlow.js's automatic differentiation (a unit test compares them), but on wasm every product
 * is a plain matMul of explicitly transposed operands. The wasm backend's matMul with
 * `transposeA` or `transposeB`, which autodiff's matMul gradient uses, takes a slow path: xᵀ·δ
 * for w1 alone cost ten times the whole forward pass, and most of a step. Other backends
 * transpose inside matMul faster than a separate transpose.
 */
export async function lossAndGradient(
  tf: Tf,
  params: Float32Array,
  batch: Batch | PreparedBatch,
  hidden = HIDDEN,
  /**
   * where the gradient is written; may be `params` itself, which is read (and its tensors
   * disposed) before: a member then sends back the buffer it was sent, and nothing of 200 KB is
   * allocated a step (garbage collection took a share of the cores the workers need)
   */
  into?: Float32Array,
): Promise<LossAndGradient> {
  const segments = layout(hidden);
  const wasm = tf.getBackend() === "wasm";
  // a·bᵀ, which backpropagation needs
  const tB = (a: TF.Tensor, b: TF.Tensor): TF.Tensor2D =>
    wasm ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
  const prepared = "x" in batch ? batch : prepareBatch(tf, batch);
  const outputs = tf.tidy(() => {
    const [w1, b1, w2, b2] = segments.map((s) =>
      tf.tensor(params.subarray(s.offset, s.offset + s.size), s.shape, "float32"),
    ) as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
    const { x, y, count: n } = prepared;
    const z1 = tf.add(tf.matMul(x, w1), b1);
    const h = tf.relu(z1);
    const logits = tf.add(tf.matMul(h, w2), b2);
    const logP = tf.logSoftmax(logits);
    const loss = tf.neg(tf.mean(tf.sum(tf.mul(y, logP), 1)));
    // ∂loss/∂logits of the mean softmax cross-entropy: (softmax − onehot) / n
    const dLogits = tf.div(tf.sub(tf.exp(logP), y), n);
    const dW2 = wasm ? tf.matMul(tf.transpose(h), dLogits) : tf.matMul(h, dLogits, true, false);
    const dB2 = tf.sum(dLogits, 0);
    const dZ1 = tf.mul(tB(dLogits, w2), tf.step(z1));
    // on wasm, (δᵀ·x)ᵀ: transposing δ (batch × 64) is cheap, transposing x (batch × 784) was
    // most of a large batch's preparation; the result is transposed back when copied out
    const dW1 = wasm ? tf.matMul(tf.transpose(dZ1), x) : tf.matMul(x, dZ1, true, false);
    const dB1 = tf.sum(dZ1, 0);
    return [loss, dW1, dB1, dW2, dB2];
  });
  if (prepared !== batch) prepared.dispose();
  try {
    const parts = await Promise.all(outputs.map((t) => t.data()));
    const gradient = into ?? new Float32Array(params.length);
    if (gradient.length !== params.length)
      throw new RangeError("the gradient's buffer has the wrong size");
    segments.forEach((s, i) => {
      const part = parts[i + 1] as Float32Array;
      if (wasm && i === 0) transposeInto(gradient, s.offset, part, s.shape[1]!, s.shape[0]!);
      else gradient.set(part, s.offset);
    });
    return { loss: (parts[0] as Float32Array)[0]!, gradient };
  } finally {
    tf.dispose(outputs);
  }
}

/** Writes `rows` × `cols` values (row-major) into `out` at `offset` as `cols` × `rows`. */
function transposeInto(
  out: Float32Array,
  offset: number,
  values: Float32Array,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[offset + c * rows + r] = values[r * cols + c]!;
  }
}

/**
 * A batch as the backend's tensors, ready for `lossAndGradient`: the pixels and the one-hot
 * labels. A member prepares its next batch this way while it waits for the parameters, so that
 * none of this is on a step's critical path.
 */
export interface PreparedBatch {
  x: TF.Tensor2D;
  y: TF.Tensor2D;
  count: number;
  dispose(): void;
}

export function prepareBatch(tf: Tf, batch: Batch): PreparedBatch {
  const x = tf.tensor2d(batch.pixels, [batch.count, INPUTS]);
  const y = tf.tidy(
    () => tf.oneHot(tf.tensor1d(batch.labels, "int32"), CLASSES).toFloat() as TF.Tensor2D,
  );
  return { x, y, count: batch.count, dispose: () => tf.dispose([x, y]) };
}

/** The same by TensorFlow.js's automatic differentiation: the reference the test checks against. */
export async function lossAndGradientByAutodiff(
  tf: Tf,
  params: Float32Array,
  batch: Batch,
  hidden = HIDDEN,
): Promise<LossAndGradient> {
  const segments = layout(hidden);
  const { value, grads } = tf.tidy(() => {
    const weights = segments.map((s) =>
      tf.tensor(params.subarray(s.offset, s.offset + s.size), s.shape, "float32"),
    );
    const x = tf.tensor2d(batch.pixels, [batch.count, INPUTS]);
    const y = tf.oneHot(tf.tensor1d(batch.labels, "int32"), CLASSES);
    const f = (w1: TF.Tensor, b1: TF.Tensor, w2: TF.Tensor, b2: TF.Tensor) => {
      const h = tf.relu(tf.add(tf.matMul(x, w1 as TF.Tensor2D), b1));
      const logits = tf.add(tf.matMul(h, w2 as TF.Tensor2D), b2);
      return tf.losses.softmaxCrossEntropy(y, logits) as TF.Scalar;
    };
    const result = tf.valueAndGrads(f as (...args: TF.Tensor[]) => TF.Scalar)(weights);
    return { value: result.value, grads: result.grads };
  });
  try {
    const parts = await Promise.all([value.data(), ...grads.map((g) => g.data())]);
    const gradient = new Float32Array(params.length);
    segments.forEach((s, i) => gradient.set(parts[i + 1] as Float32Array, s.offset));
    return { loss: (parts[0] as Float32Array)[0]!, gradient };
  } finally {
    tf.dispose([value, ...grads]);
  }
}

/** Plain SGD in place: params ← params − rate · gradient. */
export function applyGradient(params: Float32Array, gradient: Float32Array, rate: number): void {
  for (let i = 0; i < params.length; i++) params[i] = params[i]! - rate * gradient[i]!;
}
