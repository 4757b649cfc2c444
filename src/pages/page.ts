/**
 * Every page starts the same way: `window.flowdeck` is installed at once, `ready` is the promise
 * of the page's own start-up, and a start-up that fails shows what went wrong in place (and
 * rejects `ready` and `settled()`, so that nothing waits on it forever).
 */
import { TensorFlowHost } from "../ml/backend.ts";
import { installHooks, type PageState } from "./hooks.ts";

/** A page with no cells: nothing ever runs. */
export const IDLE_PAGE: PageState = { cells: () => [], whenIdle: () => Promise.resolve() };

export function startPage(
  what: string,
  start: (tensorflow: TensorFlowHost) => Promise<PageState>,
): void {
  const tensorflow = new TensorFlowHost(new URLSearchParams(location.search).get("backend"));
  // Started in a microtask, so that a throw in `start` rejects `ready` rather than escaping.
  const ready = Promise.resolve().then(() => start(tensorflow));
  installHooks(ready, tensorflow);
  ready.catch((error: unknown) => showFatal(what, error));
}

function showFatal(what: string, error: unknown): void {
  console.error(error);
  const message = document.createElement("div");
  message.setAttribute("role", "alert");
  message.className = "fd-fatal";
  message.textContent = `The ${what} could not start: ${error instanceof Error ? error.message : String(error)}`;
  document.body.prepend(message);
}
