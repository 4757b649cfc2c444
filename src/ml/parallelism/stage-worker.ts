/**
 * One stage of the split network (or, for data parallelism, the whole network) in its own
 * TensorFlow.js engine. Pipeline stages talk to each other directly over a MessagePort, so
 * activations and their gradients never pass through the page. Started with
 * `new Worker(new URL("./stage-worker.ts", import.meta.url), { type: "module" })`.
 */
import * as tf from "@tensorflow/tfjs";
import { startWorkerBackend } from "../worker-backend.ts";
import { microBatches, oneHotRows, pixelRows, Stage, unflatten } from "./mlp.ts";
import type { StageEvent } from "./pipeline.ts";
import { wallClock, type FromStage, type PeerMessage, type ToStage } from "./protocol.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToStage>) => void) | null;
  postMessage(message: FromStage, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

type Init = Extract<ToStage, { type: "init" }>;
type Pipe = Extract<ToStage, { type: "pipe" }>;

let init: Init | undefined;
let stage: Stage | undefined;
let peer: MessagePort | undefined;
const waiting: ToStage[] = [];

// A pipelined step in progress on this stage.
let job: { pipe: Pipe; sizes: number[]; offsets: number[]; left: number; loss: number } | undefined;
const early: PeerMessage[] = [];
let events: StageEvent[] = [];

async function start(backend: string): Promise<string> {
  return startWorkerBackend(backend === "wasm" ? "wasm" : "cpu");
}

function fail(error: unknown): void {
  scope.postMessage({
    type: "error",
    message: error instanceof Error ? error.message : String(error),
  });
}

function timed<T>(kind: StageEvent["kind"], micro: number, work: () => T): T {
  const t0 = wallClock();
  const out = work();
  events.push({ stage: init!.stage, kind, micro, t0, t1: wallClock() });
  return out;
}

/** Reads a tensor into a buffer of its own (one that can be transferred) and frees it. */
function take(t: tf.Tensor): Float32Array {
  // dataSync: a cpu or wasm tensor is read at once, and the stage must not yield mid-schedule
  const out = (t.dataSync() as Float32Array).slice();
  t.dispose();
  return out;
}

function startPipe(pipe: Pipe): void {
  const sizes = microBatches(pipe.size, pipe.micro);
  const offsets = sizes.map((_, i) => pipe.start + sizes.slice(0, i).reduce((a, b) => a + b, 0));
  job = { pipe, sizes, offsets, left: sizes.length, loss: 0 };
  events = [];
  if (init!.first) {
    // GPipe: every micro-batch forward first; the backwards queue up behind them
    sizes.forEach((n, m) => {
      const data = timed("F", m, () => {
        const x = tf.tensor2d(pixelRows(init!.images, offsets[m]!, n), [n, 784]);
        return take(stage!.forward(m, x));
      });
      peer!.postMessage({ type: "act", step: pipe.step, micro: m, n, data } satisfies PeerMessage, [
        data.buffer,
      ]);
    });
  }
  for (const message of early.splice(0)) onPeer(message);
}

function onPeer(message: PeerMessage): void {
  if (!job || job.pipe.step !== message.step) {
    early.push(message);
    return;
  }
  const { pipe, sizes, offsets } = job;
  const m = message.micro;
  if (message.type === "act") {
    const dx = timed("FB", m, () =>
      tf.tidy(() => {
        const x = tf.tensor2d(message.data, [message.n, message.data.length / message.n]);
        const y = tf.tensor2d(oneHotRows(init!.labels, offsets[m]!, sizes[m]!), [sizes[m]!, 10]);
        const out = stage!.lossBackward(x, y, sizes[m]! / pipe.size);
        job!.loss += out.loss.dataSync()[0]!;
        return out.dx!;
      }),
    );
    const data = take(dx);
    peer!.postMessage(
      { type: "dy", step: pipe.step, micro: m, n: message.n, data } satisfies PeerMessage,
      [data.buffer],
    );
  } else {
    timed("B", m, () => {
      const dy = tf.tensor2d(message.data, [message.n, message.data.length / message.n]);
      stage!.backward(m, dy, false);
      dy.dispose();
    });
  }
  if (--job.left === 0) {
    stage!.step();
    scope.postMessage({ type: "done", step: pipe.step, loss: job.loss, events });
    job = undefined;
  }
}

function handle(message: ToStage): void {
  const s = stage!;
  switch (message.type) {
    case "peer":
      peer = message.port;
      peer.onmessage = (event: MessageEvent<PeerMessage>) => {
        try {
          onPeer(event.data);
        } catch (error) {
          fail(error);
        }
      };
      return;
    case "pipe":
      return startPipe(message);
    case "grad": {
      events = [];
      const { step, start, size, total } = message;
      let loss = 0;
      timed("G", 0, () =>
        tf.tidy(() => {
          const x = tf.tensor2d(pixelRows(init!.images, start, size), [size, 784]);
          const y = tf.tensor2d(oneHotRows(init!.labels, start, size), [size, 10]);
          loss = s.lossBackward(x, y, size / total, false).loss.dataSync()[0]!;
        }),
      );
      const grads = s.takeGradients();
      scope.postMessage({ type: "grads", step, grads, loss, events }, [grads.buffer]);
      return;
    }
    case "apply":
      return s.step(message.grads);
    case "params": {
      const params = s.parameters();
      scope.postMessage({ type: "params", params }, [params.buffer]);
      return;
    }
    case "echo":
      scope.postMessage({ type: "echo", payload: message.payload }, [message.payload]);
      return;
    case "init":
      return;
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === "init") {
    if (init) return;
    init = message;
    start(message.backend)
      .then((backend) => {
        stage = new Stage(tf, unflatten(message.sizes, message.params), {
          last: message.last,
          lr: message.lr,
        });
        scope.postMessage({ type: "ready", backend });
        for (const queued of waiting.splice(0)) handle(queued);
      })
      .catch(fail);
    return;
  }
  if (!stage) {
    waiting.push(message);
    return;
  }
  try {
    handle(message);
  } catch (error) {
    fail(error);
  }
};
