/**
 * The page's side of a member worker, as a Link. `kill()` ends the worker without telling the
 * coordinator, as a machine that crashes does: the coordinator finds out by its timeout.
 * `live()` counts the member workers not yet terminated (the lifecycle test reads it).
 */
import type { Boot } from "./member-worker.ts";
import type { Link } from "./transport.ts";

let alive = 0;

/** member workers started and not yet terminated, in this page */
export function liveMemberWorkers(): number {
  return alive;
}

export interface WorkerMember {
  link: Link;
  /** a silent crash: terminated, no close event */
  kill(): void;
  /** terminated, and the link's close listeners told */
  dispose(): void;
}

/**
 * `name` says whose worker it is (in the browser's task manager, and for tests that count the
 * workers of one demo): the data-parallel slide's, the cluster slide's, or a room member's.
 */
export function startMemberWorker(
  base: string,
  backend: "wasm" | "cpu" = "wasm",
  name = "distributed-member",
): WorkerMember {
  const worker = new Worker(new URL("./member-worker.ts", import.meta.url), {
    type: "module",
    name,
  });
  alive++;
  let ended = false;
  const closeListeners = new Set<(reason: string) => void>();
  const terminate = () => {
    if (ended) return false;
    ended = true;
    alive--;
    worker.terminate();
    return true;
  };
  const end = (reason: string) => {
    if (!terminate()) return;
    for (const listener of [...closeListeners]) listener(reason);
    closeListeners.clear();
  };
  worker.onerror = (event) => {
    event.preventDefault();
    end(event.message || "the worker failed");
  };
  worker.postMessage({ k: "boot", base, backend } satisfies Boot);
  const link: Link = {
    send: (message, transfer = []) => {
      if (!ended) worker.postMessage(message, transfer);
    },
    onMessage(listener) {
      const handler = (event: MessageEvent) => listener(event.data);
      worker.addEventListener("message", handler);
      return () => worker.removeEventListener("message", handler);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: (reason = "closed") => end(reason),
  };
  return { link, kill: terminate, dispose: () => end("terminated") };
}
