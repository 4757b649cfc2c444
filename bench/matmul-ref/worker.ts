/**
 * The reference's worker: plain TensorFlow.js measuring one backend, as the slide's worker does,
 * so that the slide and the reference run on the same kind of thread (a worker's WebGL draws to
 * an OffscreenCanvas; the main thread's shares its time with the page).
 */
import * as tf from "@tensorflow/tfjs";
import type { MatmulPoint } from "../../src/ml/breakthroughs/matmul.ts";
import { measureBackend } from "./measure.ts";

export type FromReferenceWorker =
  { type: "point"; point: MatmulPoint } | { type: "done" } | { type: "error"; message: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<{ backend: string }>) => void) | null;
  postMessage(message: FromReferenceWorker): void;
};

scope.onmessage = (event) => {
  scope.onmessage = null; // one backend per worker, as on the slide
  measureBackend(tf, event.data.backend, (point) => scope.postMessage({ type: "point", point }))
    .then(() => scope.postMessage({ type: "done" }))
    .catch((error: unknown) =>
      scope.postMessage({
        type: "error",
        message: error instanceof Error ? error.message : String(error),
      }),
    );
};
