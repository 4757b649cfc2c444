/**
 * Which tensors a stretch of code made: TensorFlow.js's engine counts every tensor it creates in
 * `trackTensor` (public on the Engine class, though undocumented), so wrapping it tells a run of
 * a reader's edited cell what it left behind, to free when the cell is reset or runs again,
 * instead of at the next reload. The one place that touches the engine this way; the unit test
 * `tests/unit/tensor-tracking.test.ts` pins it at TF.js 4.22.
 */
import type * as TF from "@tensorflow/tfjs";

type Tf = typeof TF;

interface EngineInternals {
  trackTensor(tensor: TF.Tensor, backend: unknown): void;
}

export interface TensorTracker {
  /** Runs `fn`; returns its value and the tensors (not variables) made while it ran. */
  during<T>(fn: () => T): { value: T; made: TF.Tensor[] };
}

const trackers = new WeakMap<object, TensorTracker>();

/** The tracker of `tf`'s engine (one per engine: the wrapper is installed once). */
export function tensorTracker(tf: Tf): TensorTracker {
  const engine = tf.engine() as unknown as EngineInternals;
  const known = trackers.get(engine);
  if (known) return known;
  let sink: TF.Tensor[] | undefined;
  const original = engine.trackTensor.bind(engine);
  engine.trackTensor = (tensor, backend) => {
    original(tensor, backend);
    if (sink && !(tensor instanceof tf.Variable)) sink.push(tensor);
  };
  const tracker: TensorTracker = {
    during(fn) {
      const outer = sink;
      const made: TF.Tensor[] = [];
      sink = made;
      try {
        return { value: fn(), made };
      } finally {
        sink = outer;
        outer?.push(...made);
      }
    },
  };
  trackers.set(engine, tracker);
  return tracker;
}
