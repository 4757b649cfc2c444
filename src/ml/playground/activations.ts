/**
 * Activation functions and weight penalties, with the derivatives backpropagation needs.
 * Derivatives match TensorFlow.js's gradients (ReLU's is 0 at 0), so both networks agree.
 */

export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "linear"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const REGULARIZATIONS = ["none", "L1", "L2"] as const;
export type Regularization = (typeof REGULARIZATIONS)[number];

export interface ActivationFn {
  f: (z: number) => number;
  /** the derivative, given both the input z and the output a = f(z) (whichever is cheaper) */
  df: (z: number, a: number) => number;
}

export const ACTIVATION_FNS: Readonly<Record<Activation, ActivationFn>> = {
  relu: { f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) },
  tanh: { f: Math.tanh, df: (_z, a) => 1 - a * a },
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), df: (_z, a) => a * (1 - a) },
  linear: { f: (z) => z, df: () => 1 },
};

/**
 * The penalty added to the loss is rate · Σ penalty(w) over all weights (never biases):
 * L1: |w|, L2: ½w² (so its derivative is simply w).
 */
export interface PenaltyFn {
  penalty: (w: number) => number;
  derivative: (w: number) => number;
}

export const PENALTY_FNS: Readonly<Record<Regularization, PenaltyFn>> = {
  none: { penalty: () => 0, derivative: () => 0 },
  L1: { penalty: Math.abs, derivative: (w) => Math.sign(w) },
  L2: { penalty: (w) => 0.5 * w * w, derivative: (w) => w },
};
