/**
 * Starts one job in its own worker (src/ml/breakthroughs/worker.ts). `dispose()` terminates it:
 * a cell that `own`s the job stops it when the cell re-runs or its slide is left.
 */
import type { FromWorker, ToWorker } from "./protocol.ts";

export interface WorkerJob {
  /** resolves when the job is done, rejects with its error (or "stopped") */
  readonly finished: Promise<void>;
  readonly running: boolean;
  dispose(): void;
}

export function startJob(job: ToWorker, onMessage: (message: FromWorker) => void): WorkerJob {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), {
    type: "module",
    name: `breakthroughs-${job.type}`,
  });
  let running = true;
  let settle: { resolve: () => void; reject: (e: Error) => void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => {}); // a stopped job is not an unhandled rejection
  const end = (error?: Error) => {
    if (!running) return;
    running = false;
    worker.terminate();
    if (error) settle.reject(error);
    else settle.resolve();
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    if (!running) return;
    onMessage(message);
    if (message.type === "done") end();
    else if (message.type === "error") end(new Error(message.message));
  };
  worker.onerror = (event) => end(new Error(event.message || "the worker failed"));
  worker.postMessage(job);
  return {
    finished,
    get running() {
      return running;
    },
    dispose: () => end(new Error("stopped")),
  };
}
