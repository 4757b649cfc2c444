/**
 * Links over the browser's message passing: a Worker seen from the page, or a MessagePort between
 * two workers. Both post and receive the same way; only how the far side is shut down differs.
 */
import type { Link } from "./transport.ts";

/** what a Worker and a MessagePort have in common */
export interface MessageTarget {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message", handler: (event: MessageEvent) => void): void;
  removeEventListener(type: "message", handler: (event: MessageEvent) => void): void;
}

/**
 * A Link over `target`. `open()` says whether sending still makes sense; `shutDown()` ends the
 * far side once and returns false when it had already ended (a silent kill included), so the
 * close listeners hear only of an end this link caused.
 */
export function messageLink(
  target: MessageTarget,
  open: () => boolean,
  shutDown: () => boolean,
): Link {
  const closeListeners = new Set<(reason: string) => void>();
  return {
    send(message, transfer = []) {
      if (open()) target.postMessage(message, transfer);
    },
    onMessage(listener) {
      const handler = (event: MessageEvent) => listener(event.data);
      target.addEventListener("message", handler);
      return () => target.removeEventListener("message", handler);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close(reason = "closed") {
      if (!shutDown()) return;
      for (const listener of [...closeListeners]) listener(reason);
      closeListeners.clear();
    },
  };
}

/**
 * A member and a coordinator that live in two different workers talk over a MessageChannel of
 * their own, so that nothing of a training step passes through the page. A port cannot tell that
 * its other end went away (a terminated worker says nothing): the coordinator finds out by its
 * timeout, as it would for a machine that crashed.
 */
export function portLink(port: MessagePort): Link {
  let closed = false;
  port.start();
  return messageLink(
    port,
    () => !closed,
    () => {
      if (closed) return false;
      closed = true;
      port.close();
      return true;
    },
  );
}
