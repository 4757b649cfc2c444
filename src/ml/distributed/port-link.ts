/**
 * A Link over a MessagePort: a member and a coordinator that live in two different workers talk
 * over a MessageChannel of their own, so that nothing of a training step passes through the page.
 * A port cannot tell that its other end went away (a terminated worker says nothing): the
 * coordinator finds out by its timeout, as it would for a machine that crashed.
 */
import type { Link } from "./transport.ts";

export function portLink(port: MessagePort): Link {
  const closeListeners = new Set<(reason: string) => void>();
  let closed = false;
  port.start();
  return {
    send(message, transfer = []) {
      if (!closed) port.postMessage(message, transfer);
    },
    onMessage(listener) {
      const handler = (event: MessageEvent) => listener(event.data);
      port.addEventListener("message", handler);
      return () => port.removeEventListener("message", handler);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close(reason = "closed") {
      if (closed) return;
      closed = true;
      port.close();
      for (const listener of [...closeListeners]) listener(reason);
      closeListeners.clear();
    },
  };
}
