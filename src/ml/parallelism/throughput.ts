/**
 * Prediction throughput: how many images a model labels per second when requests come one at
 * a time (batch 1) or are grouped (batch 64), measured on the page's own engine.
 */
import type * as TF from "@tensorflow/tfjs";

export interface Throughput {
  batch: number;
  /** images per second */
  perSecond: number;
  /** ms per call (one batch) */
  latencyMs: number;
  calls: number;
}

const YIELD_EVERY_MS = 20;

/**
 * Calls `model.predict` on batches of `batch` random images, reading each result back (a
 * request is answered only when its numbers are on the CPU), for about `seconds`. Yields to
 * the page between calls through `pause` (e.g. `tf.nextFrame`, or a macrotask).
 */
export async function measureThroughput(
  tf: typeof TF,
  model: TF.LayersModel,
  options: { batch: number; seconds?: number; pause: () => Promise<unknown>; signal?: AbortSignal },
): Promise<Throughput> {
  const { batch } = options;
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  const input = tf.randomUniform([batch, ...shape], 0, 1, "float32", 42);
  try {
    const call = async () => {
      const out = model.predict(input) as TF.Tensor;
      await out.data();
      out.dispose();
    };
    await call(); // warm-up: the first call compiles kernels
    const budget = (options.seconds ?? 1) * 1000;
    let calls = 0;
    let busy = 0;
    const start = performance.now();
    let paused = start;
    while (performance.now() - start < budget && !options.signal?.aborted) {
      const t0 = performance.now();
      await call();
      busy += performance.now() - t0;
      calls++;
      // Yield every ~20 ms so no task of the page passes 50 ms (reads resolve as microtasks on
      // wasm and cpu: without a pause the loop is one task); pauses are not counted as busy.
      if (performance.now() - paused > YIELD_EVERY_MS) {
        await options.pause();
        paused = performance.now();
      }
    }
    return { batch, perSecond: (calls * batch * 1000) / busy, latencyMs: busy / calls, calls };
  } finally {
    input.dispose();
  }
}
