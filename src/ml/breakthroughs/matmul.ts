/**
 * The hardware measurements: n × n matrix products (2n³ floating-point operations each) and one
 * training step of the digit network, timed on whatever backend `tf` runs. Pure TensorFlow.js,
 * so the slide's worker and the bench's plain page run the very same code.
 */
import { createDigitModel, disposeDigitModel } from "../mnist/model.ts";
import { costOf, GOOGLENET, type Tf } from "./inception.ts";

export const MATMUL_SIZES = [64, 128, 256, 512, 1024, 2048] as const;

export interface MatmulPoint {
  n: number;
  gflops: number;
  /** milliseconds per product */
  ms: number;
  reps: number;
}

/** Is this backend one that queues work (so only the last result needs to be waited for)? */
const queues = (tf: Tf) => ["webgl", "webgpu"].includes(tf.getBackend());

/**
 * GFLOP/s of one n × n product: a warm-up (shader compiles, allocation), then enough repeats to
 * fill about `budgetMs`, timed from the first call to the last result read back.
 */
export async function timeMatmul(tf: Tf, n: number, budgetMs = 300): Promise<MatmulPoint> {
  const [a, b] = tf.tidy(() => [
    tf.randomNormal([n, n], 0, 1, "float32", 1),
    tf.randomNormal([n, n], 0, 1, "float32", 2),
  ]);
  try {
    const once = async () => {
      const started = performance.now();
      const c = tf.matMul(a!, b!);
      await c.data();
      c.dispose();
      return performance.now() - started;
    };
    await once();
    const estimate = await once();
    const reps = Math.max(1, Math.min(200, Math.round(budgetMs / Math.max(estimate, 0.01))));
    const started = performance.now();
    for (let r = 0; r < reps; r++) {
      const c = tf.matMul(a!, b!);
      if (!queues(tf) || r === reps - 1) await c.data();
      c.dispose();
    }
    const ms = (performance.now() - started) / reps;
    return { n, gflops: (2 * n ** 3) / (ms / 1000) / 1e9, ms, reps };
  } finally {
    tf.dispose([a!, b!]);
  }
}

export interface StepTiming {
  /** milliseconds of one trainOnBatch of `batch` digits (median of `reps`) */
  ms: number;
  batch: number;
  /** floating-point operations of that step: 2 per multiply-add, forward and twice backward */
  flops: number;
}

/** One training step of the digit network (scripts/train-mnist.ts's model) on random digits. */
export async function timeTrainingStep(
  tf: Tf,
  batch = 64,
  reps = 5,
  onStep: (done: number) => void = () => {},
): Promise<StepTiming> {
  const model = createDigitModel(tf, { seed: 1 });
  const [xs, ys] = tf.tidy(() => [
    tf.randomUniform([batch, 28, 28, 1], 0, 1, "float32", 3),
    tf.oneHot(tf.randomUniform([batch], 0, 10, "int32", 4), 10).toFloat(),
  ]);
  try {
    const times: number[] = [];
    for (let r = 0; r < reps + 2; r++) {
      const started = performance.now();
      await model.trainOnBatch(xs!, ys!); // returns the loss as a number: the step has finished
      if (r >= 2) times.push(performance.now() - started); // two warm-ups
      onStep(r + 1);
    }
    times.sort((p, q) => p - q);
    const macs = costOf(model).macs;
    return { ms: times[Math.floor(times.length / 2)]!, batch, flops: 3 * 2 * macs * batch };
  } finally {
    tf.dispose([xs!, ys!]);
    disposeDigitModel(model);
  }
}

/**
 * ImageNet-scale training extrapolated from a measured rate: GoogLeNet's multiply-adds per image,
 * two FLOPs each, three passes' worth for training (forward, and the two halves of backward).
 */
export const IMAGENET = {
  images: 1.28e6,
  epochs: 90,
  source: "ILSVRC 2012 training set: 1.28 M images; 90 epochs as in common ImageNet recipes",
} as const;

export function imagenetSeconds(gflops: number): { flops: number; seconds: number } {
  const flops = IMAGENET.images * IMAGENET.epochs * GOOGLENET.macsPerImage * 2 * 3;
  return { flops, seconds: flops / (gflops * 1e9) };
}

export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} hours`;
  if (seconds < 2 * 365 * 86400) return `${(seconds / 86400).toFixed(0)} days`;
  return `${(seconds / (365 * 86400)).toFixed(1)} years`;
}
