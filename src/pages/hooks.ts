/**
 * `window.flowdeck`: the stable surface that tests, the benchmark and tools use on every page.
 * Its shape is documented in docs/architecture.md; keep it stable.
 */
import type { TensorFlowHost } from "../ml/backend.ts";
import type { CellStatus } from "../runtime/cell-state.ts";

export interface FlowdeckHooks {
  /** the page's start-up: resolves once its first view is laid out, rejects if it failed */
  ready: Promise<void>;
  /** resolves once no visible cell is running or pending; rejects if start-up failed */
  settled(): Promise<void>;
  backend(): string;
  renderer(): string;
  cells(): CellStatus[];
  /**
   * `notebook/cell` of the cells on screen (or that one on screen depends on) whose run called
   * `measuring()` and has not ended: what they show is not yet their final, full-size result
   */
  measuring(): string[];
  memory(): { numTensors: number; numBytes: number };
  /** deliberate faults, for tests of the recovery paths */
  faults: { loseWebGLContext(): boolean };
}

declare global {
  interface Window {
    flowdeck: FlowdeckHooks;
  }
}

/** What a started page offers the hooks. */
export interface PageState {
  cells(): CellStatus[];
  /** resolves once nothing visible is running or pending */
  whenIdle(): Promise<void>;
  /** cells still measuring (see `FlowdeckHooks.measuring`); none where the page has no deck */
  measuring?(): string[];
}

export function installHooks(ready: Promise<PageState>, tensorflow: TensorFlowHost): FlowdeckHooks {
  let page: PageState | undefined;
  void ready.then((state) => (page = state)).catch(() => {});
  const hooks: FlowdeckHooks = {
    ready: ready.then(() => undefined),
    async settled() {
      await (await ready).whenIdle();
    },
    backend: () => tensorflow.info.backend,
    renderer: () => tensorflow.info.renderer,
    cells: () => page?.cells() ?? [],
    measuring: () => page?.measuring?.() ?? [],
    memory: () => tensorflow.memory(),
    faults: { loseWebGLContext: () => tensorflow.loseWebGLContext() },
  };
  window.flowdeck = hooks;
  return hooks;
}
