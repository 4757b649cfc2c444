/**
 * What every page with cells starts with: TensorFlow.js on demand, the built-ins, one host, the
 * cells' views, the workshop layer where readers may edit, and the notebooks' modules loaded on
 * first use. Pages add their own layout on top.
 */
import type { CellKey } from "../compiler/cell-key.ts";
import { NOTEBOOK_UPDATE_EVENT } from "../compiler/events.ts";
import { LOOP_GUARD, MODULE_IMPORT } from "../compiler/reserved-names.ts";
import type { NotebookSpec } from "../compiler/types.ts";
import { importModule } from "../lib/registry.ts";
import type { TensorFlowHost } from "../ml/backend.ts";
import { tensorTracker, type TensorTracker } from "../ml/tensor-tracking.ts";
import { NotebookHost, type LoadedNotebook } from "../runtime/host.ts";
import { LoopTimeoutError, loopGuard } from "../runtime/loop-guard.ts";
import { HardwareIndicator } from "../ui/hardware-indicator.ts";
import { Notices } from "../ui/notices.ts";
import { CellSlots } from "../view/cell-slots.ts";
import { CellViews } from "../view/cell-views.ts";
import { browserStorage } from "../workshop/stored-record.ts";
import { Workshop } from "../workshop/workshop.ts";
import { pageBuiltins } from "./builtins.ts";
import { needsOf } from "./prepare.ts";

export interface NotebookModule {
  default: NotebookSpec<(...args: never[]) => unknown>;
}

const QUIET_CHECKS = 3;
const CHECK_EVERY_MS = 30;

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

const notebookModules = import.meta.glob<NotebookModule>("/notebooks/*.md");

/** The names of the notebooks this build holds. */
export function notebookNames(): string[] {
  return Object.keys(notebookModules).map((path) => path.slice("/notebooks/".length, -3));
}

export interface EngineOptions {
  tensorflow: TensorFlowHost;
  widthRoot: () => Element;
  /** show the hardware indicator (not in print or speaker previews) */
  indicator: boolean;
  /** let readers edit cells, keeping their edits in this browser */
  editing: boolean;
  /** the element whose removal means a cell's code emptied the page */
  pageRoot: () => Element | null;
  /** the page is the print view: cells see `printing` true */
  printing?: boolean;
}

export class Engine {
  readonly tensorflow: TensorFlowHost;
  readonly host: NotebookHost;
  readonly views: CellViews;
  readonly notices: Notices;
  readonly workshop: Workshop | undefined;
  /** `?safe`: cells wait for the reader to start them */
  readonly safe: boolean;
  #loads = new Map<string, Promise<LoadedNotebook | undefined>>();
  #inFlight = 0;
  readonly #builtins: ReturnType<typeof pageBuiltins>;

  constructor(options: EngineOptions) {
    this.tensorflow = options.tensorflow;
    this.safe = new URLSearchParams(location.search).has("safe");
    let tensors: TensorTracker | undefined;
    this.notices = new Notices();
    this.#builtins = pageBuiltins({
      tensorflow: this.tensorflow,
      widthRoot: options.widthRoot,
      // Checks run wherever their cell is shown (a printed deck too), editable or not.
      extra: { check: () => import("../workshop/checks.ts").then((m) => m.check) },
      onTensorFlow: (tf) => (tensors ??= tensorTracker(tf)),
      printing: options.printing,
    });
    this.host = new NotebookHost({
      builtins: this.#builtins,
      createRoot: (inline) => document.createElement(inline ? "span" : "div"),
      // What a reader's edit made and left behind is freed with its run (reset, re-run).
      trackEdits: () => tensors && ((fn) => tensors!.during(fn)),
    });
    this.views = new CellViews(this.host);
    let previous = "";
    this.tensorflow.onChange((info) => {
      // A later change means the first backend failed mid-run: its tensors are gone.
      if (previous && previous !== info.backend) this.host.rerun("tf");
      previous = info.backend;
    });
    this.workshop = options.editing
      ? new Workshop({
          host: this.host,
          views: this.views,
          storage: browserStorage(),
          notices: this.notices,
          compiler: () =>
            import("../runtime/live-compile.ts").then((m) =>
              m.createCellCompiler({ [LOOP_GUARD]: loopGuard, [MODULE_IMPORT]: importModule }),
            ),
          pageRoot: options.pageRoot,
        })
      : undefined;
    if (options.indicator) new HardwareIndicator(this.tensorflow).mount(document.body);
    // A `?backend=` that cannot be honoured is said at once, not when a cell first needs tf.
    // (Only then: the choice costs a WebGL context, which the first slide need not wait for.)
    const notice = this.tensorflow.forced ? this.tensorflow.choice().notice : undefined;
    if (notice) this.notices.show(notice);
    // Runaway code stopped outside any cell's run (a promise chain the cell left behind) has no
    // cell to show its error in: the page says it.
    window.addEventListener("unhandledrejection", (event) => {
      if (!(event.reason instanceof LoopTimeoutError)) return;
      event.preventDefault();
      this.notices.show(event.reason.message);
    });
    window.addEventListener(NOTEBOOK_UPDATE_EVENT, (event) => {
      this.host.update((event as CustomEvent<LoadedNotebook>).detail);
    });
  }

  /** Slots on this page, showing cells with these options. */
  slots(options: { showCode: boolean; codeToggle: boolean }): CellSlots {
    return new CellSlots({
      ...options,
      host: this.host,
      views: this.views,
      held: () => this.safe,
      load: async (name) => !!(await this.load(name)),
    });
  }

  /** Loads (once) and defines a notebook; undefined if there is no such notebook. */
  load(name: string): Promise<LoadedNotebook | undefined> {
    let load = this.#loads.get(name);
    if (!load) {
      const loader = notebookModules[`/notebooks/${name}.md`];
      this.#inFlight++;
      load = (loader ? loader() : Promise.resolve(undefined))
        .then((module) => (module ? this.add(module.default) : undefined))
        .finally(() => this.#inFlight--);
      this.#loads.set(name, load);
    }
    return load;
  }

  /**
   * Loads what these cells will need (their notebooks, the built-ins and modules they and their
   * inputs use) without running any cell: nothing shows, nothing is owned, no tensor is made.
   * One thing at a time, each in a task of its own. Failures are left for the cell's own run.
   */
  async prepare(keys: CellKey[], stillWanted: () => boolean = () => true): Promise<void> {
    const byNotebook = new Map<string, string[]>();
    for (const key of keys) {
      const [notebook, cell] = key.split("/") as [string, string];
      byNotebook.set(notebook, [...(byNotebook.get(notebook) ?? []), cell]);
    }
    const settle = (work: () => Promise<unknown> | undefined) =>
      Promise.resolve(work())
        .catch(() => undefined)
        .then(() => new Promise((resolve) => setTimeout(resolve, 0)));
    for (const [notebook, cells] of byNotebook) {
      if (!stillWanted()) return;
      const spec = await this.load(notebook).catch(() => undefined);
      if (!spec) continue;
      const { builtins, modules } = needsOf(spec, cells);
      for (const name of builtins) {
        if (!stillWanted()) return;
        await settle(() => this.#builtins[name]?.() as Promise<unknown> | undefined);
      }
      for (const specifier of modules) {
        if (!stillWanted()) return;
        await settle(() => importModule(specifier));
      }
    }
  }

  /** Defines a notebook's cells, with the reader's saved edits in place of the author's. */
  async add(spec: LoadedNotebook): Promise<LoadedNotebook> {
    if (!this.#loads.has(spec.name)) this.#loads.set(spec.name, Promise.resolve(spec));
    const edited = this.workshop ? await this.workshop.edited(spec) : undefined;
    this.host.add(spec, edited);
    return spec;
  }

  /** Safe mode: a notice that offers to start every cell held in `keys()`. */
  offerRunAll(keys: () => CellKey[]): void {
    if (!this.safe) return;
    this.notices.show("Safe mode: no cell runs until you start it.", [
      {
        label: "Run all",
        run: () => {
          for (const key of keys()) {
            this.host.run(key);
            this.views.get(key)?.removeAction("run");
          }
        },
      },
    ]);
  }

  /** Resolves once no notebook is loading and no visible cell is pending or running. */
  async whenIdle(): Promise<void> {
    // Let pending layout callbacks (an IntersectionObserver mounting a slot) run first.
    await nextFrame();
    await nextFrame();
    // Quiet for a few checks in a row: a cell that finishes may start another.
    let quiet = 0;
    while (quiet < QUIET_CHECKS) {
      await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
      const busy = this.#inFlight > 0 || this.host.busy().length > 0;
      quiet = busy ? 0 : quiet + 1;
    }
  }
}
