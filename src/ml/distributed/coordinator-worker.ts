/**
 * The coordinator's own Web Worker: `serveCoordinator` over the worker's port. Started by
 * `startCoordinatorWorker` (worker-link.ts); no TensorFlow.js here, only the parameters and the
 * arithmetic of combining gradients.
 */
import { serveCoordinator } from "./coordinator-host.ts";
import type { Link } from "./transport.ts";

interface Scope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  close(): void;
}
const scope = self as unknown as Scope;

const link: Link = {
  send: (message, transfer = []) => scope.postMessage(message, transfer),
  onMessage(listener) {
    const handler = (event: MessageEvent) => listener(event.data);
    scope.addEventListener("message", handler);
    return () => scope.removeEventListener("message", handler);
  },
  onClose: () => () => {},
  close: () => scope.close(),
};

void serveCoordinator(link);
