/**
 * `window.flowdeck`: the stable surface that tests, the benchmark and tools use on every page.
 * Its shape is documented in docs/architecture.md; keep it stable.
 */
import type { CellStatus } from "../runtime/cell-state.ts";
import type { NotebookHost } from "../runtime/notebook-host.ts";
import type { TensorFlowHost } from "../ml/backend.ts";

export interface FlowdeckHooks {
  ready: Promise<void>;
  settled(): Promise<void>;
  backend(): string;
  renderer(): string;
  cells(): CellStatus[];
  memory(): { numTensors: number; numBytes: number };
  /** deliberate faults, for tests of the recovery paths */
  faults: { loseWebGLContext(): boolean };
}

declare global {
  interface Window {
    flowdeck: FlowdeckHooks;
  }
}

export interface HookSources {
  ready: Promise<void>;
  /** resolves once no visible cell is running or pending */
  settled: () => Promise<void>;
  host: NotebookHost | undefined;
  tensorflow: TensorFlowHost;
}

export function installHooks(sources: HookSources): FlowdeckHooks {
  const { host, tensorflow } = sources;
  const hooks: FlowdeckHooks = {
    ready: sources.ready,
    async settled() {
      await sources.ready;
      await sources.settled();
    },
    backend: () => tensorflow.info.backend,
    renderer: () => tensorflow.info.renderer,
    cells: () => host?.cells() ?? [],
    memory: () => tensorflow.memory(),
    faults: { loseWebGLContext: () => tensorflow.loseWebGLContext() },
  };
  window.flowdeck = hooks;
  return hooks;
}
