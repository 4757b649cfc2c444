/**
 * A deterministic split of a labelled set into a training part and a held-out part: a seeded
 * shuffle of the indices, the first `heldOut` of them held out. Same seed, same split, on
 * every machine; the held-out part never reaches training.
 */
import { createRng } from "../playground/random.ts";
import type { LabelledImages } from "./idx.ts";

export interface Split {
  train: LabelledImages;
  heldOut: LabelledImages;
  /** the indices in the original set of each part, in the order the part holds them */
  trainIndices: Uint32Array;
  heldOutIndices: Uint32Array;
}

export const DEFAULT_SPLIT = { heldOut: 2000, seed: 2016 } as const;

/** The images at `indices`, copied in that order. */
export function pick(set: LabelledImages, indices: ArrayLike<number>): LabelledImages {
  const size = set.rows * set.cols;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!(i >= 0 && i < set.count)) throw new RangeError(`index ${i} outside 0…${set.count - 1}`);
    images.set(set.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i]!;
  }
  return { count: indices.length, rows: set.rows, cols: set.cols, images, labels };
}

/** A seeded permutation of 0…n−1 (Fisher–Yates). */
export function permutation(n: number, seed: number): Uint32Array {
  const rng = createRng(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export function splitHeldOut(
  set: LabelledImages,
  {
    heldOut = DEFAULT_SPLIT.heldOut,
    seed = DEFAULT_SPLIT.seed,
  }: { heldOut?: number; seed?: number } = {},
): Split {
  if (!Number.isInteger(heldOut) || heldOut < 1 || heldOut >= set.count) {
    throw new RangeError(`held-out size ${heldOut} must be an integer in 1…${set.count - 1}`);
  }
  const order = permutation(set.count, seed);
  const heldOutIndices = order.slice(0, heldOut);
  const trainIndices = order.slice(heldOut);
  return {
    train: pick(set, trainIndices),
    heldOut: pick(set, heldOutIndices),
    trainIndices,
    heldOutIndices,
  };
}
