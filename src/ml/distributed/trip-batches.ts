/**
 * Batches per round trip. A phone in the room answers a step after a round trip through the
 * room server that costs tens of milliseconds, while one batch of 128 takes a worker about 3 ms:
 * sent one batch a step, a device spends nine tenths of its time waiting for messages, and the
 * barrier makes everyone wait with it. So each member is sent k batches against one copy of the
 * weights and returns their averaged gradient (one gradient of the k·128 examples: the batch's
 * loss is a mean, so that is the same thing), with k chosen from what its last steps measured:
 * the step's work should take `overheadFactor` times the slowest member's overhead (its round
 * trip less its own computing), so that messages cost at most about 1 / (1 + factor) of a step.
 * Every member aims at the same step time, so the barrier waits little: a fast worker gets more
 * batches, a slow phone fewer.
 *
 * The cost is the global batch: a step's update averages more examples, so fewer updates happen
 * per example (the "large batch" trade-off of data parallelism). The usual remedy is a larger
 * learning rate for a larger batch: the mean of B examples has 1/√B of one example's noise, so
 * the rate is scaled by √(examples in the update / one batch), up to `maxLearningRateScale`
 * (Krizhevsky 2014; Hoffer et al. 2017). Measured on the cluster page (sync, this browser's
 * worker and two phones at 16 batches each): the loss after 20 s was 0.33 at the plain rate 0.1,
 * 0.07 at 0.7 (what √48 gives), and training diverged at 1.5 (linear scaling would ask 4.8).
 * A step also lasts at least `minStepMs`: this browser's worker alone has about a millisecond
 * of messages a step, but each step also costs the page's main thread (the coordinator copies
 * the weights out, applies the update, records the step) and the worker a wake-up; measured by
 * the bench's room entry, the cluster page's one worker alone made about 18,000 examples/s at one
 * batch a step and 32,000 at 16. With the floor it gets several batches too, by the same rule
 * as the phones, so "with the phones" is compared with a presenter alone that is not held back.
 */

export interface TripPolicy {
  /** the most batches one step message may carry */
  maxBatches: number;
  /** a step's work, in multiples of the slowest member's overhead */
  overheadFactor: number;
  /** the step time aimed at stays within these, ms */
  minStepMs: number;
  maxStepMs: number;
  /** the learning rate is scaled by √(examples in an update / one batch), at most this much */
  maxLearningRateScale: number;
}

export const ROOM_TRIPS: TripPolicy = {
  maxBatches: 16,
  overheadFactor: 4,
  minStepMs: 40,
  maxStepMs: 400,
  maxLearningRateScale: 8,
};

const KEEP = 9;

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One member's recent steps: the medians of its last few overheads and per-batch compute times
 * (medians, since one step held up by the machine's other work should not swing k).
 */
export class TripEstimate {
  readonly #overheads: number[] = [];
  readonly #perBatch: number[] = [];

  /** A step's round trip as the coordinator saw it, and the member's own busy time in it. */
  observe(tripMs: number, busyMs: number, batches: number): void {
    if (!(tripMs >= 0) || !(batches >= 1) || !Number.isFinite(tripMs)) return;
    // the member says how long it was busy; it cannot claim more than the whole round trip
    const busy = Math.min(tripMs, Math.max(0, Number.isFinite(busyMs) ? busyMs : 0));
    this.#overheads.push(tripMs - busy);
    this.#perBatch.push(busy / batches);
    if (this.#overheads.length > KEEP) this.#overheads.shift();
    if (this.#perBatch.length > KEEP) this.#perBatch.shift();
  }

  get samples(): number {
    return this.#overheads.length;
  }

  /** ms a step costs it beyond computing: messages, relays, queues; NaN before a step */
  get overheadMs(): number {
    return median(this.#overheads);
  }

  /** ms one batch takes it; NaN before a step */
  get perBatchMs(): number {
    return median(this.#perBatch);
  }
}

/** The step time every member aims at, from the overheads of those with estimates. */
export function stepTarget(estimates: TripEstimate[], policy: TripPolicy): number {
  let worst = 0;
  for (const e of estimates) if (e.samples > 0 && e.overheadMs > worst) worst = e.overheadMs;
  return Math.min(policy.maxStepMs, Math.max(policy.minStepMs, policy.overheadFactor * worst));
}

/** The batches a member with `estimate` is sent so that its step takes about `targetMs`. */
export function batchesFor(estimate: TripEstimate, targetMs: number, policy: TripPolicy): number {
  if (estimate.samples === 0) return 1;
  const perBatch = Math.max(0.05, estimate.perBatchMs);
  const k = Math.floor((targetMs - estimate.overheadMs) / perBatch);
  return Math.max(1, Math.min(policy.maxBatches, k));
}

/** The factor on the learning rate for an update of `examples` (batches of `batch`). */
export function learningRateScale(examples: number, batch: number, policy: TripPolicy): number {
  if (!(examples > batch)) return 1;
  return Math.min(policy.maxLearningRateScale, Math.sqrt(examples / batch));
}
