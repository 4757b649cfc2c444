/**
 * The page's side of a member worker, as a Link. `kill()` ends the worker without telling the
 * coordinator, as a machine that crashes does: the coordinator finds out by its timeout.
 * `live()` counts the member workers not yet terminated (the lifecycle test reads it).
 */
import type { Boot, PortMessage } from "./member-worker.ts";
import { messageLink } from "./port-link.ts";
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
  /** the member's messages go over a port of their own from now on; returns its other end */
  connect(): MessagePort;
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
  const terminate = () => {
    if (ended) return false;
    ended = true;
    alive--;
    worker.terminate();
    return true;
  };
  const link = messageLink(worker, () => !ended, terminate);
  worker.onerror = (event) => {
    event.preventDefault();
    link.close(event.message || "the worker failed");
  };
  worker.postMessage({ k: "boot", base, backend } satisfies Boot);
  const connect = () => {
    const channel = new MessageChannel();
    // posted right after the boot message: the worker takes it before it has booted
    worker.postMessage({ k: "port", port: channel.port1 } satisfies PortMessage, [channel.port1]);
    return channel.port2;
  };
  return { link, kill: terminate, dispose: () => link.close("terminated"), connect };
}

let hosts = 0;

/** coordinator workers started and not yet terminated, in this page */
export function liveCoordinatorWorkers(): number {
  return hosts;
}

/** A coordinator in a worker of its own (coordinator-worker.ts); closing the link ends it. */
export function startCoordinatorWorker(name = "distributed-coordinator"): Link {
  const worker = new Worker(new URL("./coordinator-worker.ts", import.meta.url), {
    type: "module",
    name,
  });
  hosts++;
  let ended = false;
  const link = messageLink(
    worker,
    () => !ended,
    () => {
      if (ended) return false;
      ended = true;
      hosts--;
      worker.terminate();
      return true;
    },
  );
  worker.onerror = (event) => {
    event.preventDefault();
    link.close(event.message || "the coordinator's worker failed");
  };
  return link;
}
