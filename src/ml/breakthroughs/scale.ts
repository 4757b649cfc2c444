/**
 * Andrew Ng's chart, measured: four models of growing capacity trained on growing prefixes of
 * the MNIST training split, each tested on the same held-out digits. One core for the worker
 * behind the slide and for `npm run scale:chart` (the numbers that ship in public/data/scale/).
 */
import type * as TF from "@tensorflow/tfjs";
import { createRng } from "../playground/random.ts";
import type { LabelledImages } from "../mnist/idx.ts";
import { createDigitModel, disposeDigitModel, imageBatch, labelBatch } from "../mnist/model.ts";
import { accuracy } from "../mnist/train.ts";
import type { Tf } from "./inception.ts";

export const SCALE_MODELS = [
  { id: "logistic", name: "logistic regression" },
  { id: "small-mlp", name: "small network (1 × 32)" },
  { id: "large-mlp", name: "large network (2 × 256)" },
  { id: "cnn", name: "small CNN" },
] as const;
export type ScaleModelId = (typeof SCALE_MODELS)[number]["id"];

export const SCALE_SIZES = [100, 250, 500, 1000, 2000, 4000, 8000] as const;

export interface ScaleOptions {
  sizes?: readonly number[];
  models?: readonly ScaleModelId[];
  /** each run takes max(minSteps, epochs · n / batch) steps */
  epochs?: number;
  minSteps?: number;
  batchSize?: number;
  seed?: number;
}

export const SCALE_DEFAULTS = { epochs: 3, minSteps: 150, batchSize: 32, seed: 1 } as const;

export interface ScalePoint {
  model: ScaleModelId;
  name: string;
  /** training examples */
  n: number;
  /** held-out accuracy, 0…1 */
  accuracy: number;
  steps: number;
  ms: number;
}

export interface ScaleProgress {
  /** runs finished, of `runs` */
  done: number;
  runs: number;
  /** steps of the run under way, of `steps` */
  step: number;
  steps: number;
  point?: ScalePoint;
}

export function createScaleModel(tf: Tf, id: ScaleModelId, seed: number): TF.LayersModel {
  if (id === "cnn") return createDigitModel(tf, { seed });
  const init = (k: number) => tf.initializers.heNormal({ seed: seed * 16 + k });
  const hidden = { logistic: [], "small-mlp": [32], "large-mlp": [256, 256] }[id];
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  hidden.forEach((units, i) =>
    model.add(tf.layers.dense({ units, activation: "relu", kernelInitializer: init(i) })),
  );
  model.add(tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(9) }));
  model.compile({ optimizer: tf.train.adam(0.002), loss: "categoricalCrossentropy" });
  return model;
}

export function stepsFor(n: number, options: ScaleOptions = {}): number {
  const { epochs, minSteps, batchSize } = { ...SCALE_DEFAULTS, ...options };
  return Math.max(minSteps, Math.ceil((epochs * n) / batchSize));
}

/**
 * Every (size, model) run in turn, smallest size first so the chart fills in from the left.
 * Yields after every few steps (so a caller can stop, or report progress) and after each run.
 */
export async function* scaleRuns(
  tf: Tf,
  train: LabelledImages,
  heldOut: LabelledImages,
  options: ScaleOptions = {},
): AsyncGenerator<ScaleProgress> {
  const sizes = options.sizes ?? SCALE_SIZES;
  const models = options.models ?? SCALE_MODELS.map((m) => m.id);
  const { batchSize, seed } = { ...SCALE_DEFAULTS, ...options };
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < 1 || n > train.count) {
      throw new RangeError(`a training size of ${n} is outside 1…${train.count}`);
    }
  }
  const runs = sizes.length * models.length;
  let done = 0;
  for (const n of sizes) {
    for (const id of models) {
      const steps = stepsFor(n, options);
      const started = performance.now();
      const model = createScaleModel(tf, id, seed);
      try {
        const rng = createRng(seed * 1000 + n);
        let order: number[] = [];
        for (let step = 0; step < steps; step++) {
          if (order.length < batchSize) order = order.concat(rng.shuffle(range(n)));
          const indices = order.splice(0, Math.min(batchSize, n));
          const [xs, ys] = [
            tf.tensor4d(imageBatch(train, indices), [indices.length, 28, 28, 1]),
            tf.tensor2d(labelBatch(train, indices), [indices.length, 10]),
          ];
          try {
            await model.trainOnBatch(xs, ys);
          } finally {
            tf.dispose([xs, ys]);
          }
          if (step % 10 === 9) yield { done, runs, step: step + 1, steps };
        }
        const point: ScalePoint = {
          model: id,
          name: SCALE_MODELS.find((m) => m.id === id)!.name,
          n,
          accuracy: await accuracy(tf, model, heldOut),
          steps,
          ms: Math.round(performance.now() - started),
        };
        done++;
        yield { done, runs, step: steps, steps, point };
      } finally {
        disposeDigitModel(model);
      }
    }
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** What public/data/scale/results.json holds. */
export interface ScaleResults {
  command: string;
  backend: string;
  date: string;
  tfjs: string;
  options: Required<Omit<ScaleOptions, "models">>;
  points: ScalePoint[];
}

export const SCALE_RESULTS_JSON = "data/scale/results.json";
