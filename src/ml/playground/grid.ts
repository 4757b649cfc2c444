/**
 * The sample grid behind the heat map and the neuron thumbnails: n × n cell centres over
 * [-6, 6]², row 0 at the top (x2 = +6 side), column 0 at the left (x1 = −6), row-major.
 */
import { DOMAIN } from "./datasets.ts";
import { featureVector, type FeatureId } from "./features.ts";

/** The coordinate of cell i's centre along an axis; rows run downwards, so flip for x2. */
export function gridCoordinate(i: number, n: number): number {
  return -DOMAIN + (2 * DOMAIN * (i + 0.5)) / n;
}

export function gridPoint(row: number, col: number, n: number): { x: number; y: number } {
  return { x: gridCoordinate(col, n), y: -gridCoordinate(row, n) };
}

/** Every cell's features, flat: cell (row, col) starts at ((row · n) + col) · features.length. */
export function gridInputs(n: number, features: readonly FeatureId[]): Float32Array {
  const f = features.length;
  const out = new Float32Array(n * n * f);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const { x, y } = gridPoint(row, col, n);
      out.set(featureVector(x, y, features), (row * n + col) * f);
    }
  }
  return out;
}
