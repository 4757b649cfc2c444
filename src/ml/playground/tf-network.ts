/**
 * The playground network as a real TensorFlow.js model, trained with the reference network's
 * conventions (see reference-network.ts): one plain SGD step per batch on
 * mean ½(output − target)² + the weight penalty, batches taken in order.
 *
 * `modelCode()` writes the source the audience sees; it is generated from the same `NetworkSpec`,
 * `denseLayers()` and `penaltyTerm()` that `createTfNetwork()` and `trainTfEpoch()` use, and a
 * unit test runs that source and checks it trains exactly like this module.
 *
 * TensorFlow.js is passed in rather than imported, so the module costs nothing until a caller
 * has loaded it (and a worker can pass its own copy).
 */
import type * as TF from "@tensorflow/tfjs";
import type { PlaygroundState } from "./config.ts";
import { FEATURES, type Example, type FeatureId } from "./features.ts";
import { gridInputs } from "./grid.ts";
import {
  denseLayers,
  INIT,
  layerSizes,
  penaltyTerm,
  specFromState,
  type NetworkSpec,
} from "./network-spec.ts";
import type { LayerParams } from "./reference-network.ts";

export type Tf = typeof TF;

export interface TfNetwork {
  readonly tf: Tf;
  readonly model: TF.Sequential;
  readonly optimizer: TF.SGDOptimizer;
  /** kernels and biases, in model order: what each step changes */
  readonly variables: TF.Variable[];
  /** what was built; learning rate, batch size and regularization may change (setHyperparameters) */
  spec: NetworkSpec;
  /** the heat-map grid's inputs, kept for the last (n, features) asked for */
  grid?: { key: string; inputs: TF.Tensor2D };
}

/** Builds the model for `spec`; with `weights` (e.g. the reference network's) instead of random ones. */
export function createTfNetwork(
  tf: Tf,
  spec: NetworkSpec,
  weights?: readonly LayerParams[],
): TfNetwork {
  const model = tf.sequential();
  for (const [i, layer] of denseLayers(spec).entries()) {
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [layer.inputs] } : {}),
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: tf.initializers.randomUniform({
          minval: INIT.weightMin,
          maxval: INIT.weightMax,
        }),
        biasInitializer: tf.initializers.constant({ value: INIT.bias }),
      }),
    );
  }
  const variables = model
    .getWeights(true)
    .filter((t): t is TF.Variable => t instanceof tf.Variable);
  if (variables.length !== 2 * denseLayers(spec).length) {
    throw new Error("expected a kernel and a bias variable per dense layer");
  }
  const net: TfNetwork = {
    tf,
    model,
    optimizer: tf.train.sgd(spec.learningRate),
    variables,
    spec: { ...spec },
  };
  if (weights) setTfWeights(net, weights);
  return net;
}

/** Changes the learning rate, batch size or regularization between steps (not the architecture). */
export function setHyperparameters(
  net: TfNetwork,
  change: Partial<
    Pick<NetworkSpec, "learningRate" | "batchSize" | "regularization" | "regularizationRate">
  >,
): void {
  net.spec = { ...net.spec, ...change };
  net.optimizer.setLearningRate(net.spec.learningRate);
}

export function setTfWeights(net: TfNetwork, weights: readonly LayerParams[]): void {
  const { tf } = net;
  const sizes = layerSizes(net.spec);
  if (weights.length !== sizes.length - 1)
    throw new Error(`expected ${sizes.length - 1} layers of weights`);
  const tensors = weights.flatMap((p, l) => [
    tf.tensor2d(
      Float32Array.from(p.kernel),
      [sizes[l] as number, sizes[l + 1] as number],
      "float32",
    ),
    tf.tensor1d(Float32Array.from(p.bias), "float32"),
  ]);
  net.model.setWeights(tensors);
  tf.dispose(tensors);
}

/** The current parameters, in the reference network's layout (float32 values widened to float64). */
export async function getTfWeights(net: TfNetwork): Promise<LayerParams[]> {
  const values = await Promise.all(net.variables.map((v) => v.data()));
  const out: LayerParams[] = [];
  for (let i = 0; i < values.length; i += 2) {
    out.push({
      kernel: Float64Array.from(values[i] as Float32Array),
      bias: Float64Array.from(values[i + 1] as Float32Array),
    });
  }
  return out;
}

/** Examples as an [n, features] input tensor and an [n, 1] target tensor; the caller disposes them. */
export function toTensors(
  tf: Tf,
  examples: readonly Example[],
): { xs: TF.Tensor2D; ys: TF.Tensor2D } {
  const width = examples[0]?.input.length ?? 0;
  const xs = new Float32Array(examples.length * width);
  examples.forEach((ex, i) => xs.set(ex.input, i * width));
  const ys = Float32Array.from(examples, (ex) => ex.target);
  return {
    xs: tf.tensor2d(xs, [examples.length, width]),
    ys: tf.tensor2d(ys, [examples.length, 1]),
  };
}

function outputOf(net: TfNetwork, xs: TF.Tensor): TF.Tensor {
  const out = net.model.apply(xs);
  if (!(out instanceof net.tf.Tensor)) throw new Error("the model should give one tensor");
  return out;
}

/** What a step minimises: mean ½(output − target)² over the batch, plus the weight penalty. */
function batchObjective(net: TfNetwork, xs: TF.Tensor, ys: TF.Tensor): TF.Scalar {
  const { tf } = net;
  const dataLoss: TF.Scalar = tf.squaredDifference(outputOf(net, xs), ys).mean().mul(0.5);
  const term = penaltyTerm(net.spec);
  if (!term) return dataLoss;
  const kernels = net.variables.filter((_, i) => i % 2 === 0);
  const sums = kernels.map((w) => (term.kind === "L1" ? w.abs() : w.square()).sum());
  return dataLoss.add(tf.addN(sums).mul(term.factor));
}

/** One SGD step on one batch (rows of xs and ys). Synchronous; leaves no tensors behind. */
export function trainTfBatch(net: TfNetwork, xs: TF.Tensor2D, ys: TF.Tensor2D): void {
  if (xs.shape[0] === 0) return;
  net.tf.tidy(() => {
    net.optimizer.minimize(() => batchObjective(net, xs, ys), false, net.variables);
  });
}

/** One epoch: rows in order, batches of spec.batchSize (the last may be smaller), one step each. */
export function trainTfEpoch(net: TfNetwork, xs: TF.Tensor2D, ys: TF.Tensor2D): void {
  const n = xs.shape[0];
  const size = Math.max(1, Math.floor(net.spec.batchSize));
  for (let start = 0; start < n; start += size) {
    const rows = Math.min(size, n - start);
    net.tf.tidy(() => trainTfBatch(net, xs.slice(start, rows), ys.slice(start, rows)));
  }
}

/** Mean ½(output − target)² over the rows (no penalty): the reported train or test loss. */
export async function tfLoss(net: TfNetwork, xs: TF.Tensor2D, ys: TF.Tensor2D): Promise<number> {
  if (xs.shape[0] === 0) return 0;
  const value = net.tf.tidy(() => net.tf.squaredDifference(outputOf(net, xs), ys).mean().mul(0.5));
  const [loss] = await value.data();
  value.dispose();
  return loss as number;
}

/** The output at each point, in one call. */
export async function tfPredict(
  net: TfNetwork,
  inputs: readonly number[][],
): Promise<Float32Array> {
  const { tf } = net;
  const width = net.spec.features.length;
  const out = tf.tidy(() => outputOf(net, tf.tensor2d(inputs.flat(), [inputs.length, width])));
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

/**
 * The output over the n × n heat-map grid (grid.ts: row 0 at the top), in one predict call.
 * The grid's input tensor is kept on the network for the next frame. `features` must be the
 * model's own inputs (the default); it is a parameter so a caller can pass the list it already holds.
 */
export async function predictGrid(
  net: TfNetwork,
  n: number,
  features: readonly FeatureId[] = net.spec.features,
): Promise<Float32Array> {
  const { tf } = net;
  const key = `${n}:${features.join(",")}`;
  if (net.grid?.key !== key) {
    net.grid?.inputs.dispose();
    net.grid = { key, inputs: tf.tensor2d(gridInputs(n, features), [n * n, features.length]) };
  }
  const inputs = net.grid.inputs;
  const out = tf.tidy(() => outputOf(net, inputs));
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

export function disposeTfNetwork(net: TfNetwork): void {
  net.grid?.inputs.dispose();
  net.grid = undefined;
  net.model.dispose();
  net.optimizer.dispose();
}

// ---------------------------------------------------------------------------------------------

function num(value: number): string {
  return String(value);
}

/**
 * TensorFlow.js source that builds and trains exactly this network. It expects `tf` in scope and
 * defines `model`, `optimizer`, `loss(xs, labels)` and `trainEpoch(xs, labels)`; xs holds one row
 * of features per training point, labels one column.
 */
export function modelCode(source: PlaygroundState | NetworkSpec): string {
  const spec = "dataset" in source ? specFromState(source) : source;
  const layers = denseLayers(spec);
  const term = penaltyTerm(spec);
  const names = spec.features.map((id) => FEATURES[id].label).join(", ");
  const shape = layerSizes(spec).join(" → ");
  const b = spec.batchSize;
  const lines: string[] = [
    `// ${shape}: inputs ${names}; ${spec.activation} in the hidden layers, ${spec.outputActivation} at the output`,
    `const init = {`,
    `  kernelInitializer: tf.initializers.randomUniform({ minval: ${num(INIT.weightMin)}, maxval: ${num(INIT.weightMax)} }),`,
    `  biasInitializer: tf.initializers.constant({ value: ${num(INIT.bias)} }),`,
    `};`,
    `const model = tf.sequential();`,
    ...layers.map(
      (layer, i) =>
        `model.add(tf.layers.dense({ ${i === 0 ? `inputShape: [${layer.inputs}], ` : ""}units: ${layer.units}, activation: "${layer.activation}", ...init }));`,
    ),
    `const optimizer = tf.train.sgd(${num(spec.learningRate)});`,
    `const weights = model.getWeights(true); // kernels and biases: what training changes`,
    ``,
    `// ½ (output − label)², averaged over the batch`,
    `function loss(xs, labels) {`,
    `  return tf.squaredDifference(model.apply(xs), labels).mean().mul(0.5);`,
    `}`,
  ];
  if (term) {
    const what = term.kind === "L1" ? "abs" : "square";
    const formula =
      term.kind === "L1"
        ? `${num(spec.regularizationRate)} · Σ |w|`
        : `${num(spec.regularizationRate)} · Σ ½w²`;
    lines.push(
      ``,
      `// ${term.kind} regularization: ${formula} over the kernels (not the biases)`,
      `function penalty() {`,
      `  const kernels = weights.filter((_, i) => i % 2 === 0);`,
      `  return tf.addN(kernels.map((w) => w.${what}().sum())).mul(${num(term.factor)});`,
      `}`,
    );
  }
  const objective = term ? "loss(x, y).add(penalty())" : "loss(x, y)";
  lines.push(
    ``,
    `// One epoch: batches of ${b} in order, one plain SGD step each (w ← w − ${num(spec.learningRate)} · gradient)`,
    `function trainEpoch(xs, labels) {`,
    `  const n = xs.shape[0];`,
    `  for (let start = 0; start < n; start += ${b}) {`,
    `    const size = Math.min(${b}, n - start);`,
    `    tf.tidy(() => {`,
    `      const x = xs.slice(start, size);`,
    `      const y = labels.slice(start, size);`,
    `      optimizer.minimize(() => ${objective}, false, weights);`,
    `    });`,
    `  }`,
    `}`,
  );
  return lines.join("\n") + "\n";
}
