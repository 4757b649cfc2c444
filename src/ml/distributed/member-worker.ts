/**
 * A training member in a Web Worker: its own TensorFlow.js (wasm, else cpu), its own copy of
 * MNIST fetched from the site, and `serveMember` answering the coordinator through a Link over
 * the worker's port. Started by worker-link.ts with
 * `new Worker(new URL("./member-worker.ts", import.meta.url), { type: "module" })`; its first
 * message is a boot message naming the site's base URL.
 */
import * as tf from "@tensorflow/tfjs";
import { describeWorkerBackend, startWorkerBackend } from "../worker-backend.ts";
import { loadMnist } from "../mnist/load.ts";
import { serveMember, type Examples } from "./member.ts";
import type { Link } from "./transport.ts";

interface Scope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}
const scope = self as unknown as Scope;

export interface Boot {
  k: "boot";
  base: string;
  backend: "wasm" | "cpu";
}

/** From now on the member talks over `port` (to a coordinator in another worker). */
export interface PortMessage {
  k: "port";
  port: MessagePort;
}

async function startBackend(preferred: "wasm" | "cpu"): Promise<string> {
  return describeWorkerBackend(await startWorkerBackend(preferred === "wasm" ? "wasm" : "cpu"));
}

/**
 * The worker's side of its link, as a Link: the worker's own port, or the port it was given;
 * what arrives before anyone listens is kept.
 */
function memberLink(): Link & { deliver(message: unknown): void; use(port: MessagePort): void } {
  const listeners = new Set<(message: unknown) => void>();
  let queue: unknown[] | undefined = [];
  let given: MessagePort | undefined;
  const deliver = (message: unknown) => {
    if (queue) queue.push(message);
    else for (const listener of listeners) listener(message);
  };
  return {
    send: (message, transfer = []) =>
      given ? given.postMessage(message, transfer) : scope.postMessage(message, transfer),
    onMessage(listener) {
      listeners.add(listener);
      for (const m of queue ?? []) listener(m);
      queue = undefined;
      return () => listeners.delete(listener);
    },
    onClose: () => () => {},
    close: () => self.close(),
    deliver,
    use(port) {
      given = port;
      port.onmessage = (event) => deliver(event.data);
    },
  };
}

const link = memberLink();
let booted = false;

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as Boot | PortMessage | undefined;
  if (message?.k === "port" && message.port instanceof MessagePort) return link.use(message.port);
  if (booted || message?.k !== "boot") return link.deliver(event.data);
  booted = true;
  void boot(message).catch((error: unknown) =>
    scope.postMessage(
      { k: "error", message: error instanceof Error ? error.message : String(error) },
      [],
    ),
  );
};

async function boot({ base, backend: preferred }: Boot): Promise<void> {
  const [backend, set] = await Promise.all([startBackend(preferred), loadMnist(base)]);
  const pixels = new Float32Array(set.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = set.images[i]! / 255;
  const data: Examples = { count: set.count, pixels, labels: set.labels };
  await serveMember({ tf, link, data, backend });
  self.close();
}
