/**
 * What every page starts with: TensorFlow.js on demand, the built-ins, one NotebookHost, and the
 * notebooks' modules loaded on first use. Pages add their own layout on top.
 */
import { NOTEBOOK_UPDATE_EVENT } from "../notebook/events.ts";
import type { NotebookSpec } from "../notebook/types.ts";
import { TensorFlowHost } from "../ml/backend.ts";
import { createBuiltins } from "../runtime/builtins.ts";
import { NotebookHost, type LoadedNotebook } from "../runtime/notebook-host.ts";
import { HardwareIndicator } from "../ui/hardware-indicator.ts";
import { Notices } from "../ui/notices.ts";
import { browserStorage } from "../workshop/stored-record.ts";
import { Workshop } from "../workshop/workshop.ts";

export interface NotebookModule {
  default: NotebookSpec<(...args: never[]) => unknown>;
}

const QUIET_CHECKS = 3;
const CHECK_EVERY_MS = 30;

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

const notebookModules = import.meta.glob<NotebookModule>("/notebooks/*.md");

export interface EngineOptions {
  widthRoot: () => Element;
  /** show the hardware indicator (not in print or speaker previews) */
  indicator: boolean;
  /** let readers edit cells, keeping their edits in this browser */
  editing: boolean;
}

export class Engine {
  readonly tensorflow: TensorFlowHost;
  readonly host: NotebookHost;
  readonly notices: Notices;
  readonly workshop: Workshop | undefined;
  /** `?safe`: cells wait for the reader to start them */
  readonly safe: boolean;
  #loads = new Map<string, Promise<LoadedNotebook | undefined>>();
  #inFlight = 0;

  constructor(options: EngineOptions) {
    const params = new URLSearchParams(location.search);
    this.tensorflow = new TensorFlowHost(params.get("backend"));
    this.safe = params.has("safe");
    this.notices = new Notices();
    this.host = new NotebookHost(
      createBuiltins({ tensorflow: this.tensorflow, widthRoot: options.widthRoot }),
    );
    let previous = "";
    this.tensorflow.onChange((info) => {
      // A later change means the first backend failed mid-run: its tensors are gone.
      if (previous && previous !== info.backend) this.host.rerun("tf");
      previous = info.backend;
    });
    this.workshop = options.editing
      ? new Workshop(this.host, browserStorage(), this.notices)
      : undefined;
    if (options.indicator) new HardwareIndicator(this.tensorflow).mount(document.body);
    window.addEventListener(NOTEBOOK_UPDATE_EVENT, (event) => {
      const spec = (event as CustomEvent<LoadedNotebook>).detail;
      this.host.update(spec);
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

  /** Defines a notebook's cells, with the reader's saved edits in place of the author's. */
  async add(spec: LoadedNotebook): Promise<LoadedNotebook> {
    const prepared = this.workshop ? await this.workshop.prepare(spec) : spec;
    this.host.add(prepared);
    return prepared;
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
