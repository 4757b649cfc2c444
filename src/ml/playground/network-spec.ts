/**
 * What a playground network is, independent of who runs it: the plain-TypeScript reference and
 * the TensorFlow.js model (and the code shown for it) are all built from this one description.
 */
import type { Activation, Regularization } from "./activations.ts";
import type { Problem } from "./datasets.ts";
import type { FeatureId } from "./features.ts";
import type { PlaygroundState } from "./config.ts";

export interface NetworkSpec {
  features: FeatureId[];
  hiddenLayers: number[];
  activation: Activation;
  /** tanh for classification (labels ±1), linear for regression (targets in [-1, 1]) */
  outputActivation: Activation;
  regularization: Regularization;
  regularizationRate: number;
  learningRate: number;
  batchSize: number;
}

/**
 * Initial parameters: every weight uniform in [-0.5, 0.5), every bias 0.1 (a small positive bias
 * keeps ReLU units alive at the start).
 */
export const INIT = { weightMin: -0.5, weightMax: 0.5, bias: 0.1 } as const;

export function outputActivationFor(problem: Problem): Activation {
  return problem === "classification" ? "tanh" : "linear";
}

export function specFromState(state: PlaygroundState): NetworkSpec {
  return {
    features: [...state.features],
    hiddenLayers: [...state.hiddenLayers],
    activation: state.activation,
    outputActivation: outputActivationFor(state.problem),
    regularization: state.regularization,
    regularizationRate: state.regularizationRate,
    learningRate: state.learningRate,
    batchSize: state.batchSize,
  };
}

/** Neurons per layer, inputs first and the single output last: [2, 4, 2, 1] by default. */
export function layerSizes(spec: NetworkSpec): number[] {
  return [spec.features.length, ...spec.hiddenLayers, 1];
}

export interface DenseLayerSpec {
  inputs: number;
  units: number;
  activation: Activation;
}

export function denseLayers(spec: NetworkSpec): DenseLayerSpec[] {
  const sizes = layerSizes(spec);
  return sizes.slice(1).map((units, i) => ({
    inputs: sizes[i] as number,
    units,
    activation: i === sizes.length - 2 ? spec.outputActivation : spec.activation,
  }));
}

/**
 * The weight penalty as the TensorFlow.js side adds it to the loss: factor · Σ f(w) over every
 * kernel, with f = |w| (L1, factor = rate) or w² (L2, factor = rate / 2, i.e. rate · ½w²).
 * `undefined` when nothing is added.
 */
export function penaltyTerm(
  spec: Pick<NetworkSpec, "regularization" | "regularizationRate">,
): { kind: "L1" | "L2"; factor: number } | undefined {
  if (spec.regularization === "none" || spec.regularizationRate === 0) return undefined;
  const kind = spec.regularization;
  return { kind, factor: kind === "L2" ? spec.regularizationRate / 2 : spec.regularizationRate };
}
