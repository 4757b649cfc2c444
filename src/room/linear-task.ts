/**
 * The stand-in training task of the room's first phase: linear regression on synthetic data,
 * sharded across members, with its loss and gradient in plain typed arrays. Small enough for
 * any phone, real enough that the loss falls only if the gradients that travel are right.
 * The distributed-training code replaces it with the MNIST network (issue 10).
 */

/** Which part of the data a member computes on; the data is generated from it, not sent. */
export interface LinearShard {
  /** 0 … count − 1 for members; `count` itself is the presenter's held-out set */
  index: number;
  count: number;
  seed: number;
  examples: number;
  features: number;
}

export interface LinearData {
  /** examples × features, row by row */
  x: Float32Array;
  y: Float32Array;
  features: number;
}

export interface GradientResult {
  /** d loss / d params: the weights, then the bias */
  gradient: Float32Array;
  loss: number;
  examples: number;
}

/** mulberry32: a small seeded generator, the same on every device. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The weights and bias the data were drawn from: what training should find. */
export function trueParams(seed: number, features: number): Float32Array {
  const random = generator(seed);
  return Float32Array.from({ length: features + 1 }, () => random() * 4 - 2);
}

export const NOISE = 0.05;

export function shardData(shard: LinearShard): LinearData {
  const { features, examples } = shard;
  const truth = trueParams(shard.seed, features);
  const random = generator((shard.seed ^ Math.imul(shard.index + 1, 0x9e3779b1)) >>> 0);
  const x = new Float32Array(examples * features);
  const y = new Float32Array(examples);
  for (let i = 0; i < examples; i++) {
    let sum = truth[features]!;
    for (let j = 0; j < features; j++) {
      const v = random() * 2 - 1;
      x[i * features + j] = v;
      sum += truth[j]! * v;
    }
    y[i] = sum + (random() * 2 - 1) * NOISE;
  }
  return { x, y, features };
}

/** Mean squared error and its gradient with respect to [weights…, bias]. */
export function linearGradient(params: Float32Array, data: LinearData): GradientResult {
  const { x, y, features } = data;
  if (params.length !== features + 1) {
    throw new RangeError(
      `${params.length} parameters for ${features} features (want ${features + 1})`,
    );
  }
  const n = y.length;
  const gradient = new Float32Array(features + 1);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let prediction = params[features]!;
    for (let j = 0; j < features; j++) prediction += params[j]! * x[i * features + j]!;
    const residual = prediction - y[i]!;
    loss += residual * residual;
    for (let j = 0; j < features; j++) gradient[j]! += (2 * residual * x[i * features + j]!) / n;
    gradient[features]! += (2 * residual) / n;
  }
  return { gradient, loss: loss / n, examples: n };
}

export function linearLoss(params: Float32Array, data: LinearData): number {
  return linearGradient(params, data).loss;
}
