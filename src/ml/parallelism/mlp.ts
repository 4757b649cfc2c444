/**
 * The network that model parallelism splits: an MNIST multilayer perceptron with plain-array
 * parameters, so that any slice of its layers (a pipeline stage) can be built in any
 * TensorFlow.js engine, a Worker's or Node's, from the same numbers.
 *
 *   784 pixels → dense 384, ReLU → dense 384, ReLU → dense 384, ReLU → dense 10 (logits)
 *
 * Split after the first layer, both stages do about 300,000 multiply-adds per example.
 */
import type * as TF from "@tensorflow/tfjs";

export type Tf = typeof TF;

export const MLP_SIZES: readonly number[] = [784, 384, 384, 384, 10];
/** stage 0 gets layers 0…SPLIT−1, stage 1 the rest */
export const SPLIT = 1;

/** One dense layer's weights [inputs × outputs] (row-major) and biases, as plain numbers. */
export interface LayerParams {
  inputs: number;
  outputs: number;
  w: Float32Array;
  b: Float32Array;
}

/** A small deterministic generator (mulberry32): the same seed gives the same network anywhere. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Glorot-uniform weights and zero biases for every layer of `sizes`. */
export function initMlp(sizes: readonly number[] = MLP_SIZES, seed = 2016): LayerParams[] {
  const next = random(seed);
  return sizes.slice(1).map((outputs, i) => {
    const inputs = sizes[i]!;
    const limit = Math.sqrt(6 / (inputs + outputs));
    const w = new Float32Array(inputs * outputs);
    for (let k = 0; k < w.length; k++) w[k] = (2 * next() - 1) * limit;
    return { inputs, outputs, w, b: new Float32Array(outputs) };
  });
}

export function parameterCount(layers: readonly LayerParams[]): number {
  return layers.reduce((n, l) => n + l.w.length + l.b.length, 0);
}

/** All parameters in one buffer (w then b, layer by layer): what crosses a worker boundary. */
export function flatten(layers: readonly LayerParams[]): Float32Array {
  const out = new Float32Array(parameterCount(layers));
  let at = 0;
  for (const l of layers) {
    out.set(l.w, at);
    out.set(l.b, at + l.w.length);
    at += l.w.length + l.b.length;
  }
  return out;
}

/** The inverse of `flatten` for layers of the given sizes. */
export function unflatten(sizes: readonly number[], flat: Float32Array): LayerParams[] {
  let at = 0;
  const layers = sizes.slice(1).map((outputs, i) => {
    const inputs = sizes[i]!;
    const w = flat.slice(at, at + inputs * outputs);
    const b = flat.slice(at + inputs * outputs, at + inputs * outputs + outputs);
    at += inputs * outputs + outputs;
    return { inputs, outputs, w, b };
  });
  if (at !== flat.length) throw new Error(`expected ${at} parameters, got ${flat.length}`);
  return layers;
}

/** The layer sizes of layers `from…to` of `sizes` (to exclusive). */
export function stageSizes(sizes: readonly number[], from: number, to: number): number[] {
  return sizes.slice(from, to + 1);
}

/**
 * A slice of the network in one engine: forward, backward with gradients accumulated over
 * micro-batches, then one SGD step. `last` stages end in the softmax cross-entropy loss.
 */
export class Stage {
  readonly #tf: Tf;
  #params: TF.Tensor[];
  #grads: TF.Tensor[] | undefined;
  /** each micro-batch's input, kept from forward to backward */
  readonly #inputs = new Map<number, TF.Tensor2D>();
  readonly last: boolean;
  readonly learningRate: number;

  constructor(tf: Tf, layers: readonly LayerParams[], options: { last: boolean; lr: number }) {
    this.#tf = tf;
    this.last = options.last;
    this.learningRate = options.lr;
    this.#params = layers.flatMap((l) => [
      tf.tensor2d(l.w, [l.inputs, l.outputs]),
      tf.tensor1d(l.b),
    ]);
  }

  /** The stage's function of its input and parameters (ReLU between layers, logits at the end). */
  #apply(x: TF.Tensor, params: readonly TF.Tensor[]): TF.Tensor2D {
    const tf = this.#tf;
    let h = x as TF.Tensor2D;
    const layers = params.length / 2;
    for (let i = 0; i < layers; i++) {
      h = tf.add(tf.matMul(h, params[2 * i] as TF.Tensor2D), params[2 * i + 1]!);
      if (!(this.last && i === layers - 1)) h = tf.relu(h);
    }
    return h;
  }

  /** Runs micro-batch `id` forward; keeps (owns) `x` until its backward. */
  forward(id: number, x: TF.Tensor2D): TF.Tensor2D {
    this.#inputs.set(id, x);
    return this.#tf.tidy(() => this.#apply(x, this.#params));
  }

  /**
   * Backward for micro-batch `id` given the gradient of the loss at this stage's output. The
   * forward is recomputed inside (GPipe's re-materialisation: only the input was kept). Returns
   * the gradient at the stage's input, or undefined for a first stage (`needInput` false).
   */
  backward(id: number, dy: TF.Tensor2D, needInput = true): TF.Tensor2D | undefined {
    const x = this.#take(id);
    const tf = this.#tf;
    const result = tf.tidy(() => {
      const f = (input: TF.Tensor, ...params: TF.Tensor[]) => this.#apply(input, params);
      const grads = needInput
        ? tf.grads(f)([x, ...this.#params], dy)
        : tf.grads((...params: TF.Tensor[]) => f(x, ...params))(this.#params, dy);
      this.#accumulate(needInput ? grads.slice(1) : grads);
      return needInput ? (grads[0] as TF.Tensor2D) : undefined;
    });
    x.dispose();
    return result;
  }

  /**
   * A last stage's forward and backward in one: the loss of micro-batch `x` against one-hot
   * `labels`, weighted by `scale` (its share of the whole batch, so shares add up to the
   * batch's mean loss). Returns the weighted loss and the gradient at the input.
   */
  lossBackward(
    x: TF.Tensor2D,
    labels: TF.Tensor2D,
    scale: number,
    needInput = true,
  ): { loss: TF.Scalar; dx: TF.Tensor2D | undefined } {
    if (!this.last) throw new Error("only the last stage computes the loss");
    const tf = this.#tf;
    return tf.tidy(() => {
      const lossOf = (input: TF.Tensor, ...params: TF.Tensor[]) =>
        tf.losses.softmaxCrossEntropy(labels, this.#apply(input, params)).mul(scale) as TF.Scalar;
      const { value, grads } = needInput
        ? tf.valueAndGrads(lossOf)([x, ...this.#params])
        : tf.valueAndGrads((...params: TF.Tensor[]) => lossOf(x, ...params))(this.#params);
      this.#accumulate(needInput ? grads.slice(1) : grads);
      return { loss: value, dx: needInput ? (grads[0] as TF.Tensor2D) : undefined };
    });
  }

  #take(id: number): TF.Tensor2D {
    const x = this.#inputs.get(id);
    if (!x) throw new Error(`no forward was run for micro-batch ${id}`);
    this.#inputs.delete(id);
    return x;
  }

  #accumulate(grads: readonly TF.Tensor[]): void {
    const tf = this.#tf;
    const old = this.#grads;
    this.#grads = old
      ? grads.map((g, i) => tf.keep(tf.add(old[i]!, g)))
      : grads.map((g) => tf.keep(g.clone()));
    if (old) tf.dispose(old);
  }

  /** The accumulated gradients in one buffer (layout of `flatten`), and clears them. */
  takeGradients(): Float32Array {
    const grads = this.#grads ?? this.#params.map((p) => this.#tf.zerosLike(p));
    this.#grads = undefined;
    const flat = this.#tf.tidy(() => this.#tf.concat(grads.map((g) => g.reshape([-1]))));
    const out = flat.dataSync() as Float32Array;
    this.#tf.dispose([flat, ...grads]);
    return out;
  }

  /** One SGD step with the accumulated gradients, or with `flat` ones (data parallelism). */
  step(flat?: Float32Array): void {
    const tf = this.#tf;
    const grads = flat ? this.#split(flat) : this.#grads;
    if (!grads) return;
    const next = tf.tidy(() => this.#params.map((p, i) => p.sub(grads[i]!.mul(this.learningRate))));
    tf.dispose([...this.#params, ...grads]);
    if (!flat) this.#grads = undefined;
    this.#params = next;
  }

  #split(flat: Float32Array): TF.Tensor[] {
    let at = 0;
    return this.#params.map((p) => {
      const t = this.#tf.tensor(flat.subarray(at, at + p.size), p.shape);
      at += p.size;
      return t;
    });
  }

  /** The parameters, in the layout of `flatten`. */
  parameters(): Float32Array {
    const flat = this.#tf.tidy(() => this.#tf.concat(this.#params.map((p) => p.reshape([-1]))));
    const out = flat.dataSync() as Float32Array;
    flat.dispose();
    return out;
  }

  dispose(): void {
    this.#tf.dispose([...this.#params, ...(this.#grads ?? []), ...this.#inputs.values()]);
    this.#inputs.clear();
    this.#grads = undefined;
  }
}

/** Pixels 0…255 of images `start…start+n` as floats 0…1, [n, 784]. */
export function pixelRows(images: Uint8Array, start: number, n: number): Float32Array {
  const size = 784;
  const out = new Float32Array(n * size);
  const src = images.subarray(start * size, (start + n) * size);
  for (let k = 0; k < src.length; k++) out[k] = src[k]! / 255;
  return out;
}

/** One-hot labels of images `start…start+n`, [n, 10]. */
export function oneHotRows(labels: Uint8Array, start: number, n: number): Float32Array {
  const out = new Float32Array(n * 10);
  for (let k = 0; k < n; k++) out[k * 10 + labels[start + k]!] = 1;
  return out;
}

/** Sizes of `count` micro-batches that split `size` examples as evenly as possible. */
export function microBatches(size: number, count: number): number[] {
  const m = Math.max(1, Math.min(count, size));
  return Array.from(
    { length: m },
    (_, i) => Math.floor(((i + 1) * size) / m) - Math.floor((i * size) / m),
  );
}
