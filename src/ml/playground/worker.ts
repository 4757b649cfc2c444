/**
 * The playground's training worker: its own TensorFlow.js on the wasm (or cpu) backend, a
 * `PlaygroundTrainer` and the `TrainingSession` that time-slices it. Started by the page with
 * `new Worker(new URL("./worker.ts", import.meta.url), { type: "module" })`.
 */
import * as tf from "@tensorflow/tfjs";
import { startWorkerBackend } from "../worker-backend.ts";
import { parseToWorker, type FromWorker, type ToWorker, type WorkerBackend } from "./protocol.ts";
import { TrainingSession } from "./session.ts";
import { JsTrainer } from "./js-trainer.ts";
import { PlaygroundTrainer } from "./trainer.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: FromWorker, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let session: TrainingSession | undefined;
const queued: ToWorker[] = [];

const channel = new MessageChannel();
const tasks: Array<() => void> = [];
channel.port1.onmessage = () => {
  try {
    tasks.shift()?.();
  } catch (error) {
    fail(error);
  }
};
const later = (fn: () => void) => {
  tasks.push(fn);
  channel.port2.postMessage(null);
};

async function start(backend: WorkerBackend): Promise<string> {
  if (backend === "js") return "js";
  return startWorkerBackend(backend === "wasm" ? "wasm" : "cpu");
}

function fail(error: unknown): void {
  scope.postMessage(
    { type: "error", message: error instanceof Error ? error.message : String(error) },
    [],
  );
}

scope.onmessage = (event: MessageEvent) => {
  const message = parseToWorker(event.data);
  if (!message) return fail(`malformed message: ${JSON.stringify(event.data)}`);
  if (message.type !== "init") {
    if (session) {
      try {
        session.handle(message);
      } catch (error) {
        fail(error);
      }
    } else queued.push(message);
    return;
  }
  if (session) return;
  start(message.backend)
    .then((name) => {
      const sizes = { gridSize: message.gridSize, thumbSize: message.thumbSize };
      const trainer =
        name === "js"
          ? new JsTrainer(message.state, sizes)
          : new PlaygroundTrainer(tf, message.state, sizes);
      if (message.from) {
        try {
          trainer.restore(message.from);
        } catch {
          // weights of another network (the page changed it meanwhile): a fresh run
          trainer.restore({ run: message.from.run, epoch: 0 });
        }
      }
      session = new TrainingSession(trainer, {
        now: () => performance.now(),
        post: (m, transfer) => scope.postMessage(m, transfer),
        later,
      });
      scope.postMessage({ type: "ready", backend: name }, []);
      for (const m of queued.splice(0)) session.handle(m);
    })
    .catch(fail);
};
