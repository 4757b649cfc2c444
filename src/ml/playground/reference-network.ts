/**
 * A fully connected network in plain TypeScript, trained the way TensorFlow Playground trains:
 * one example at a time forward and back, gradients summed over a batch, weights changed once
 * per batch. It is the yardstick: the TensorFlow.js model must reproduce its losses, and the
 * benchmark races it. Computes in float64.
 *
 * Conventions (the TensorFlow.js side follows the same ones):
 * - output: one neuron, `outputActivation` (tanh for classification, linear for regression);
 * - per-example loss ½(output − target)²; `loss()` is its mean over the examples, without the
 *   weight penalty (the number the playground reports);
 * - a batch of B examples minimises J = (1/B) Σ ½(output − target)² + rate · Σ_w R(w), with
 *   R(w) = |w| (L1) or ½w² (L2) over the weights only, never the biases;
 * - one plain SGD step per batch: θ ← θ − lr · ∂J/∂θ, i.e. w ← w − lr · (G/B + rate · R′(w)) with
 *   G the gradient summed over the batch, R′ taken at the weights before the step; R′(0) = 0 for L1
 *   (no clipping at zero);
 * - an epoch takes the examples in the order given, in batches of B; a last, smaller batch is its
 *   own step, averaged over its own size;
 * - initial weights uniform in [-0.5, 0.5) drawn layer by layer, then output neuron by neuron,
 *   then input by input; biases 0.1.
 */
import {
  ACTIVATION_FNS,
  PENALTY_FNS,
  type Activation,
  type Regularization,
} from "./activations.ts";
import type { Example, FeatureId } from "./features.ts";
import { gridInputs } from "./grid.ts";
import { INIT } from "./network-spec.ts";
import type { Rng } from "./random.ts";

/** One dense layer's parameters, laid out as TensorFlow.js lays out a dense layer. */
export interface LayerParams {
  /** [inputs][units], row-major: the weight from input i to unit j is at i · units + j */
  kernel: Float64Array;
  bias: Float64Array;
}

export interface Network {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly outputActivation: Activation;
  readonly regularization: Regularization;
  /** layers[l] maps sizes[l] inputs to sizes[l + 1] units */
  readonly layers: LayerParams[];
  /** work space, reused for every example: pre-activations, activations (a[0] = inputs), deltas */
  readonly z: Float64Array[];
  readonly a: Float64Array[];
  readonly delta: Float64Array[];
  readonly grads: LayerParams[];
}

const zeros = (n: number): Float64Array => new Float64Array(n);

export function createNetwork(
  layerSizes: readonly number[],
  activation: Activation,
  outputActivation: Activation,
  regularization: Regularization,
  rng: Rng,
): Network {
  if (layerSizes.length < 2 || layerSizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(
      `layer sizes must be at least two positive integers, got [${layerSizes.join(", ")}]`,
    );
  }
  const sizes = [...layerSizes];
  const layers: LayerParams[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l] as number;
    const nOut = sizes[l + 1] as number;
    const kernel = zeros(nIn * nOut);
    for (let j = 0; j < nOut; j++) {
      for (let i = 0; i < nIn; i++)
        kernel[i * nOut + j] = rng.uniform(INIT.weightMin, INIT.weightMax);
    }
    layers.push({ kernel, bias: new Float64Array(nOut).fill(INIT.bias) });
  }
  return {
    sizes,
    activation,
    outputActivation,
    regularization,
    layers,
    z: sizes.map(zeros),
    a: sizes.map(zeros),
    delta: sizes.map(zeros),
    grads: layers.map((p) => ({ kernel: zeros(p.kernel.length), bias: zeros(p.bias.length) })),
  };
}

function activationOf(net: Network, layer: number): Activation {
  return layer === net.sizes.length - 1 ? net.outputActivation : net.activation;
}

/** Runs one example through; every layer's outputs stay in net.a. */
function propagate(net: Network, input: ArrayLike<number>): number {
  const { sizes, layers, z, a } = net;
  if (input.length !== sizes[0])
    throw new Error(`expected ${sizes[0]} inputs, got ${input.length}`);
  (a[0] as Float64Array).set(input);
  for (let l = 0; l < layers.length; l++) {
    const { kernel, bias } = layers[l] as LayerParams;
    const nIn = sizes[l] as number;
    const nOut = sizes[l + 1] as number;
    const prev = a[l] as Float64Array;
    const zl = z[l + 1] as Float64Array;
    const al = a[l + 1] as Float64Array;
    const f = ACTIVATION_FNS[activationOf(net, l + 1)].f;
    for (let j = 0; j < nOut; j++) {
      let sum = bias[j] as number;
      for (let i = 0; i < nIn; i++) sum += (prev[i] as number) * (kernel[i * nOut + j] as number);
      zl[j] = sum;
      al[j] = f(sum);
    }
  }
  return (a[a.length - 1] as Float64Array)[0] as number;
}

/** Adds the gradient of ½(output − target)² for the example last propagated to net.grads. */
function backpropagate(net: Network, target: number): void {
  const { sizes, layers, z, a, delta, grads } = net;
  const last = sizes.length - 1;
  const out = ACTIVATION_FNS[net.outputActivation];
  const zOut = (z[last] as Float64Array)[0] as number;
  const aOut = (a[last] as Float64Array)[0] as number;
  (delta[last] as Float64Array)[0] = (aOut - target) * out.df(zOut, aOut);
  const df = ACTIVATION_FNS[net.activation].df;
  for (let l = last - 1; l >= 0; l--) {
    const nIn = sizes[l] as number;
    const nOut = sizes[l + 1] as number;
    const { kernel } = layers[l] as LayerParams;
    const g = grads[l] as LayerParams;
    const dNext = delta[l + 1] as Float64Array;
    const prev = a[l] as Float64Array;
    for (let j = 0; j < nOut; j++) g.bias[j] = (g.bias[j] as number) + (dNext[j] as number);
    for (let i = 0; i < nIn; i++) {
      const ai = prev[i] as number;
      let back = 0;
      for (let j = 0; j < nOut; j++) {
        const w = i * nOut + j;
        g.kernel[w] = (g.kernel[w] as number) + ai * (dNext[j] as number);
        back += (kernel[w] as number) * (dNext[j] as number);
      }
      // the inputs (l = 0) need no delta
      if (l > 0) (delta[l] as Float64Array)[i] = back * df((z[l] as Float64Array)[i] as number, ai);
    }
  }
}

/** The network's output for one input vector. */
export function forward(net: Network, input: ArrayLike<number>): number {
  return propagate(net, input);
}

/** Every neuron's output for one input, layer by layer (layer 0 is the input itself): for thumbnails. */
export function neuronOutputs(net: Network, input: ArrayLike<number>): Float64Array[] {
  propagate(net, input);
  return net.a.map((layer) => layer.slice());
}

/** Mean of ½(output − target)² over the examples (0 for none); the weight penalty is not included. */
export function loss(net: Network, examples: readonly Example[]): number {
  if (examples.length === 0) return 0;
  let sum = 0;
  for (const ex of examples) {
    const d = propagate(net, ex.input) - ex.target;
    sum += 0.5 * d * d;
  }
  return sum / examples.length;
}

/** Σ R(w) over all weights (not biases): Σ|w| for L1, Σ½w² for L2, 0 for none. */
export function penalty(net: Network): number {
  const r = PENALTY_FNS[net.regularization].penalty;
  let sum = 0;
  for (const { kernel } of net.layers) for (const w of kernel) sum += r(w);
  return sum;
}

/** What one batch's step minimises: loss(batch) + regRate · penalty. */
export function objective(net: Network, batch: readonly Example[], regRate: number): number {
  return loss(net, batch) + regRate * penalty(net);
}

/** ∂objective/∂θ for one batch, as fresh arrays (net.grads holds the same afterwards). */
export function batchGradient(
  net: Network,
  batch: readonly Example[],
  regRate: number,
): LayerParams[] {
  accumulate(net, batch, regRate);
  return net.grads.map((g) => ({ kernel: g.kernel.slice(), bias: g.bias.slice() }));
}

function accumulate(net: Network, batch: readonly Example[], regRate: number): void {
  for (const g of net.grads) {
    g.kernel.fill(0);
    g.bias.fill(0);
  }
  for (const ex of batch) {
    propagate(net, ex.input);
    backpropagate(net, ex.target);
  }
  const scale = 1 / batch.length;
  const dr = PENALTY_FNS[net.regularization].derivative;
  net.grads.forEach((g, l) => {
    const { kernel } = net.layers[l] as LayerParams;
    for (let w = 0; w < g.kernel.length; w++) {
      g.kernel[w] = (g.kernel[w] as number) * scale + regRate * dr(kernel[w] as number);
    }
    for (let j = 0; j < g.bias.length; j++) g.bias[j] = (g.bias[j] as number) * scale;
  });
}

/** One SGD step on one batch: θ ← θ − lr · ∂objective/∂θ. An empty batch changes nothing. */
export function trainBatch(
  net: Network,
  batch: readonly Example[],
  lr: number,
  regRate: number,
): void {
  if (batch.length === 0) return;
  accumulate(net, batch, regRate);
  net.layers.forEach((p, l) => {
    const g = net.grads[l] as LayerParams;
    for (let w = 0; w < p.kernel.length; w++)
      p.kernel[w] = (p.kernel[w] as number) - lr * (g.kernel[w] as number);
    for (let j = 0; j < p.bias.length; j++)
      p.bias[j] = (p.bias[j] as number) - lr * (g.bias[j] as number);
  });
}

/** One pass over the examples in order, one step per batch of `batchSize` (the last may be smaller). */
export function trainEpoch(
  net: Network,
  examples: readonly Example[],
  batchSize: number,
  lr: number,
  regRate: number,
): void {
  const size = Math.max(1, Math.floor(batchSize));
  for (let start = 0; start < examples.length; start += size) {
    trainBatch(net, examples.slice(start, start + size), lr, regRate);
  }
}

/** Copies of the parameters, layer by layer, in TensorFlow.js's dense layout. */
export function getWeights(net: Network): LayerParams[] {
  return net.layers.map((p) => ({ kernel: p.kernel.slice(), bias: p.bias.slice() }));
}

export function setWeights(net: Network, params: readonly LayerParams[]): void {
  if (params.length !== net.layers.length) {
    throw new Error(`expected ${net.layers.length} layers of parameters, got ${params.length}`);
  }
  net.layers.forEach((p, l) => {
    const q = params[l] as LayerParams;
    if (q.kernel.length !== p.kernel.length || q.bias.length !== p.bias.length) {
      throw new Error(
        `layer ${l}: expected ${p.kernel.length} weights and ${p.bias.length} biases`,
      );
    }
    p.kernel.set(q.kernel);
    p.bias.set(q.bias);
  });
}

/** All parameters in one array: layer 1's kernel then bias, then layer 2's, and so on. */
export function flattenWeights(params: readonly LayerParams[]): Float64Array {
  const out = new Float64Array(params.reduce((n, p) => n + p.kernel.length + p.bias.length, 0));
  let at = 0;
  for (const p of params) {
    out.set(p.kernel, at);
    at += p.kernel.length;
    out.set(p.bias, at);
    at += p.bias.length;
  }
  return out;
}

/** The inverse of `flattenWeights`, shaped like `like` (whose values it does not read). */
export function unflattenWeights(
  flat: ArrayLike<number>,
  like: readonly LayerParams[],
): LayerParams[] {
  const total = like.reduce((n, p) => n + p.kernel.length + p.bias.length, 0);
  if (flat.length !== total) throw new Error(`expected ${total} parameters, got ${flat.length}`);
  let at = 0;
  const take = (n: number) => Float64Array.from({ length: n }, (_, i) => flat[at + i] as number);
  return like.map((p) => {
    const kernel = take(p.kernel.length);
    at += p.kernel.length;
    const bias = take(p.bias.length);
    at += p.bias.length;
    return { kernel, bias };
  });
}

/** The output over the n × n heat-map grid (see grid.ts), point by point. */
export function outputGrid(net: Network, n: number, features: readonly FeatureId[]): Float32Array {
  return neuronGrids(net, n, features).at(-1)?.[0] ?? new Float32Array(n * n);
}

/**
 * Every neuron's output over the n × n grid: result[layer][neuron] is an n·n array
 * (layer 0 holds the input features themselves).
 */
export function neuronGrids(
  net: Network,
  n: number,
  features: readonly FeatureId[],
): Float32Array[][] {
  const f = features.length;
  const inputs = gridInputs(n, features);
  const out = net.sizes.map((size) => Array.from({ length: size }, () => new Float32Array(n * n)));
  for (let cell = 0; cell < n * n; cell++) {
    propagate(net, inputs.subarray(cell * f, cell * f + f));
    net.a.forEach((layer, l) => {
      const grids = out[l] as Float32Array[];
      for (let j = 0; j < layer.length; j++) (grids[j] as Float32Array)[cell] = layer[j] as number;
    });
  }
  return out;
}
