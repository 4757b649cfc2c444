/** The reference in a plain worker: one backend, its points posted back, then "done". */
import * as tf from "@tensorflow/tfjs";
import { measureBackend } from "./measure.ts";

self.onmessage = (event: MessageEvent<{ backend: string }>) => {
  measureBackend(tf, event.data.backend, (point) => self.postMessage({ point }))
    .then(() => self.postMessage({ done: true }))
    .catch((error: unknown) => self.postMessage({ error: String(error) }));
};
