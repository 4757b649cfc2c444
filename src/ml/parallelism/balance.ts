/**
 * Where to cut the network into two pipeline stages so that both take about as long: a
 * pipeline runs at the pace of its slowest stage, and the faster one idles for the difference
 * on every micro-batch, on top of the bubble.
 *
 * The work of a dense layer is its multiply-adds per example (inputs × outputs): once forward,
 * twice backward (the gradient of its weights and that of its input). A stage before the last
 * keeps only each micro-batch's input and runs its forward pass again in the backward pass
 * (GPipe's re-materialisation), so its layers count four times; the last stage's three times.
 */

/** Multiply-adds per example of each layer of `sizes` (784, 384, … → one number per layer). */
export function layerWork(sizes: readonly number[]): number[] {
  return sizes.slice(1).map((outputs, i) => sizes[i]! * outputs);
}

/** The relative work of a stage holding layers `from…to − 1` (to exclusive) of `sizes`. */
export function stageWork(sizes: readonly number[], from: number, to: number): number {
  const last = to === sizes.length - 1;
  const perLayer = last ? 3 : 4;
  return layerWork(sizes)
    .slice(from, to)
    .reduce((sum, w) => sum + perLayer * w, 0);
}

export interface Balance {
  /** stage 0 gets layers 0…split − 1, stage 1 the rest */
  split: number;
  /** each stage's relative work */
  work: [number, number];
  /** the slower stage's work over the faster's (1 is perfectly balanced) */
  ratio: number;
  /** layers in the network */
  layers: number;
}

/** The split of `sizes` into two stages whose slower stage has the least work. */
export function balancedSplit(sizes: readonly number[]): Balance {
  const layers = sizes.length - 1;
  if (layers < 2) throw new RangeError("two stages need at least two layers");
  let best: Balance | undefined;
  for (let split = 1; split < layers; split++) {
    const work: [number, number] = [stageWork(sizes, 0, split), stageWork(sizes, split, layers)];
    const slow = Math.max(...work);
    const ratio = slow / Math.max(1, Math.min(...work));
    // the least work in the slower stage; between equals, the closer pair
    const bestSlow = best ? Math.max(...best.work) : Infinity;
    if (!best || slow < bestSlow || (slow === bestSlow && ratio < best.ratio)) {
      best = { split, work, ratio, layers };
    }
  }
  return best!;
}
