/**
 * The WebGL renderer's name, asked of a short-lived worker (renderer-probe-worker.ts) so that the
 * page's main thread never blocks on a context it may not use: on a software renderer the page
 * computes on wasm and makes no WebGL context at all. Resolves undefined when the worker cannot
 * answer (no module workers, an error, or no answer in time): the caller then asks on its own thread.
 */
const ANSWER_WITHIN_MS = 5000;

export function probeRendererOffThread(): Promise<string | null | undefined> {
  if (typeof Worker === "undefined") return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL("./renderer-probe-worker.ts", import.meta.url), {
        type: "module",
        name: "webgl-renderer-probe",
      });
    } catch {
      resolve(undefined);
      return;
    }
    const done = (answer: string | null | undefined) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), ANSWER_WITHIN_MS);
    worker.onmessage = (event: MessageEvent<{ renderer?: unknown }>) => {
      const value = event.data?.renderer;
      done(typeof value === "string" || value === null ? value : undefined);
    };
    worker.onerror = () => done(undefined);
  });
}
