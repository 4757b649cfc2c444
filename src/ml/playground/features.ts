/**
 * The seven input features a network can be given, computed from a point's coordinates.
 * The order of `selected` is the order of the network's inputs (and of its first kernel's rows).
 */
import type { Point } from "./datasets.ts";

export const FEATURE_IDS = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"] as const;
export type FeatureId = (typeof FEATURE_IDS)[number];

export interface FeatureInfo {
  id: FeatureId;
  /** as shown next to the input node */
  label: string;
  /** the same, as TeX */
  tex: string;
  fn: (x1: number, x2: number) => number;
}

export const FEATURES: Readonly<Record<FeatureId, FeatureInfo>> = {
  x1: { id: "x1", label: "x₁", tex: "x_1", fn: (x1) => x1 },
  x2: { id: "x2", label: "x₂", tex: "x_2", fn: (_x1, x2) => x2 },
  x1sq: { id: "x1sq", label: "x₁²", tex: "x_1^2", fn: (x1) => x1 * x1 },
  x2sq: { id: "x2sq", label: "x₂²", tex: "x_2^2", fn: (_x1, x2) => x2 * x2 },
  x1x2: { id: "x1x2", label: "x₁x₂", tex: "x_1 x_2", fn: (x1, x2) => x1 * x2 },
  sinx1: { id: "sinx1", label: "sin x₁", tex: "\\sin x_1", fn: (x1) => Math.sin(x1) },
  sinx2: { id: "sinx2", label: "sin x₂", tex: "\\sin x_2", fn: (_x1, x2) => Math.sin(x2) },
};

export function isFeatureId(value: string): value is FeatureId {
  return (FEATURE_IDS as readonly string[]).includes(value);
}

/** One training example: the network's inputs and the value it should output. */
export interface Example {
  input: number[];
  target: number;
}

export function featureVector(x1: number, x2: number, selected: readonly FeatureId[]): number[] {
  return selected.map((id) => FEATURES[id].fn(x1, x2));
}

export function featurize(points: readonly Point[], selected: readonly FeatureId[]): Example[] {
  return points.map((p) => ({ input: featureVector(p.x, p.y, selected), target: p.label }));
}
