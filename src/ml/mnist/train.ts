/**
 * Training the digit network one mini-batch at a time, as an async generator: the caller decides
 * when to pull the next step, so a page can interleave steps with frames and a script can just
 * run them all. The same loop serves `npm run train:mnist` (Node) and the live retrain button.
 */
import type * as TF from "@tensorflow/tfjs";
import { createRng } from "../playground/random.ts";
import type { LabelledImages } from "./idx.ts";
import { CLASSES, PIXELS, imageBatch, labelBatch, type Tf } from "./model.ts";

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** seeds the order of the examples in each epoch */
  seed: number;
  /** measure held-out accuracy every this many steps (and after the last) */
  evaluateEvery: number;
  /** images per forward pass while evaluating */
  evaluateBatch?: number;
  /** the clock (performance.now in a page) */
  now?: () => number;
}

/**
 * Live training in a page: chosen so that the default backend here (wasm, on a 2-core machine
 * without a GPU) passes 95 % held-out accuracy within 10 s (see bench/measure/digits.ts); use
 * with `LIVE_LEARNING_RATE`.
 */
export const LIVE_TRAINING: TrainOptions = {
  epochs: 3,
  batchSize: 64,
  seed: 1,
  evaluateEvery: 20,
  evaluateBatch: 500,
};

/**
 * Twice the rate once used: 95 % after 120–140 steps instead of 200 (seeds 1 and 2), and the
 * same 96.5 % after three epochs.
 */
export const LIVE_LEARNING_RATE = 0.01;

export interface AccuracyPoint {
  step: number;
  /** examples seen so far */
  examples: number;
  /** milliseconds since training started */
  elapsedMs: number;
  accuracy: number;
}

export interface TrainProgress {
  phase: "training" | "evaluating" | "done";
  step: number;
  steps: number;
  /** the epoch under way, from 0 (`epochs` once done) */
  epoch: number;
  epochs: number;
  /** the last batch's loss */
  loss: number;
  elapsedMs: number;
  /** held-out accuracy after each evaluation so far */
  history: AccuracyPoint[];
}

/**
 * Fraction of `set` that `model` labels right, `batch` images per pass. Each pass is a task of
 * its own: on wasm a read resolves at once, so without yielding every pass would be one task
 * (2,000 digits hold the page for 300–400 ms).
 */
export async function accuracy(
  tf: Tf,
  model: TF.LayersModel,
  set: LabelledImages,
  batch = 200,
): Promise<number> {
  let correct = 0;
  for await (const c of accuracyChunks(tf, model, set, batch)) {
    correct += c;
    await nextTask();
  }
  return correct / set.count;
}

/** Resolves in a later task, so that the page can draw and take input in between. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Yields the number of right answers per chunk (so that a caller can yield between chunks). */
export async function* accuracyChunks(
  tf: Tf,
  model: TF.LayersModel,
  set: LabelledImages,
  batch: number,
): AsyncGenerator<number> {
  for (let start = 0; start < set.count; start += batch) {
    const indices = range(start, Math.min(set.count, start + batch));
    const predicted = tf.tidy(() => {
      const xs = tf.tensor4d(imageBatch(set, indices), [indices.length, PIXELS, PIXELS, 1]);
      return (model.predict(xs) as TF.Tensor).argMax(-1);
    });
    const labels = await predicted.data();
    predicted.dispose();
    let correct = 0;
    labels.forEach((label, k) => {
      if (label === set.labels[indices[k]!]) correct++;
    });
    yield correct;
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

export async function* trainDigits(
  tf: Tf,
  model: TF.LayersModel,
  train: LabelledImages,
  heldOut: LabelledImages,
  options: TrainOptions,
): AsyncGenerator<TrainProgress, TrainProgress> {
  const now = options.now ?? (() => performance.now());
  const evaluateBatch = options.evaluateBatch ?? 500;
  const perEpoch = Math.ceil(train.count / options.batchSize);
  const steps = perEpoch * options.epochs;
  const rng = createRng(options.seed);
  const history: AccuracyPoint[] = [];
  const start = now();
  let step = 0;
  let loss = NaN;
  let epoch = 0;
  const progress = (phase: TrainProgress["phase"]): TrainProgress => ({
    phase,
    step,
    steps,
    epoch,
    epochs: options.epochs,
    loss,
    elapsedMs: now() - start,
    history,
  });

  async function* evaluate(): AsyncGenerator<TrainProgress> {
    let correct = 0;
    for await (const c of accuracyChunks(tf, model, heldOut, evaluateBatch)) {
      correct += c;
      yield progress("evaluating");
    }
    history.push({
      step,
      examples: Math.min(step * options.batchSize, options.epochs * train.count),
      elapsedMs: now() - start,
      accuracy: correct / heldOut.count,
    });
  }

  for (epoch = 0; epoch < options.epochs; epoch++) {
    const order = rng.shuffle(range(0, train.count));
    for (let b = 0; b < perEpoch; b++) {
      const indices = order.slice(b * options.batchSize, (b + 1) * options.batchSize);
      const [xs, ys] = [
        tf.tensor4d(imageBatch(train, indices), [indices.length, PIXELS, PIXELS, 1]),
        tf.tensor2d(labelBatch(train, indices), [indices.length, CLASSES]),
      ];
      try {
        loss = Number(await model.trainOnBatch(xs, ys));
      } finally {
        tf.dispose([xs, ys]);
      }
      step++;
      yield progress("training");
      if (step % options.evaluateEvery === 0 || step === steps) yield* evaluate();
    }
  }
  epoch = options.epochs;
  return progress("done");
}
