/**
 * Runs `compareInt8` off the page: the two plain-JavaScript products take 50–150 ms at the
 * default size, which would freeze the slide as it arrives. Started by `compareInt8InWorker`.
 */
import { compareInt8 } from "./int8.ts";

self.onmessage = (event: MessageEvent<{ n: number; seed?: number }>) => {
  try {
    self.postMessage({ ok: true, comparison: compareInt8(event.data.n, event.data.seed) });
  } catch (error) {
    self.postMessage({
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
