/**
 * Runs notebooks on one Observable runtime: one module per notebook, shared by every place that
 * shows its cells (a slide, the reading view, the notebook's page). Cells are defined unobserved
 * and compute only once shown somewhere or needed by a shown cell; generators run while a cell
 * that needs them is on screen. The host knows nothing of the page: views (src/view) watch it.
 */
import { cellKey, parseCellKey, type CellKey } from "../compiler/cell-key.ts";
import type { CellSpec, NotebookSpec } from "../compiler/types.ts";
import { AloneTurns } from "./alone-turns.ts";
import { PER_RUN_NAMES, wrapBody, type CellSite, type Track } from "./cell-body.ts";
import type { CellState, CellStatus } from "./cell-state.ts";
import { explainError, formatAlert } from "./errors.ts";
import { Gate } from "./gate.ts";
import {
  createRuntime,
  defineCell,
  deleteCell,
  observeCell,
  rerunCell,
  type DefinedCell,
  type DisplayRoot,
  type Module,
} from "./kit.ts";
import { neededCells } from "./needed-cells.ts";

type Body = (...args: never[]) => unknown;
export type LoadedNotebook = NotebookSpec<Body>;
export type LoadedCell = CellSpec<Body>;
export type Builtins = Record<string, () => unknown>;

/**
 * A cell still running after this long (awaiting a promise that never settles, say) no longer
 * keeps the page from settling; its view says so.
 */
export const STALL_MS = 20_000;

/** What a view hears about its cell. */
export type CellEvent =
  | { type: "state"; state: CellState; error?: string }
  /** the cell has been running for STALL_MS: the page no longer waits for it */
  | { type: "stalled" }
  /** the cell was defined anew (an edit, a reset, hot reload): a new root and maybe new code */
  | { type: "redefined"; cell: LoadedCell; root: DisplayRoot | undefined };

export interface HostOptions {
  builtins: Builtins;
  /** makes the element a cell renders into; a host without it is headless (Node tests) */
  createRoot?: (inline: boolean) => DisplayRoot;
  /** how long a cell may run before the page stops waiting for it (STALL_MS) */
  stallMs?: number;
  /** how long a cell is unshown before what it owns is suspended (see Lifetime.follow) */
  suspendAfterMs?: number;
  /** what tracks the tensors a reader's edit makes, once there is one (see CellSite.track) */
  trackEdits?: () => Track | undefined;
}

interface CellRecord {
  key: CellKey;
  notebook: string;
  /** what the author wrote */
  authored: LoadedCell;
  /** what runs now: the authored cell, or a reader's edit of it */
  current: LoadedCell;
  defined: DefinedCell;
  /** open while the cell, or a cell on screen that depends on it, is on screen */
  gate: Gate;
  /** on screen now (its slide is current, or it is in the viewport) */
  active: boolean;
  /** shown somewhere (it reports a state), though perhaps not started (safe mode) */
  shown: boolean;
  /** an observer is attached: the runtime computes the cell */
  observed: boolean;
  state: CellState;
  error?: string;
  /** when it last started running (performance.now) */
  runningSince: number;
  /** it ran for longer than STALL_MS without settling, and was told so */
  stalled: boolean;
  /** the width its output has, reported by its view */
  width?: number;
  /** the current run asked for its width (with `fit`) */
  measures: boolean;
  /** the current run's value is (or exports) a generator: it reads `fit` at every step */
  generates: boolean;
  /** the current run called `measuring()`: its output is final once its generators end */
  measuring: boolean;
  /** the current run's generators have ended (or it had none) */
  ended: boolean;
  watchers: Set<(event: CellEvent) => void>;
}

interface NotebookRecord {
  spec: LoadedNotebook;
  module: Module;
  cells: Map<string, CellRecord>;
}

export class NotebookHost {
  readonly #runtime: ReturnType<typeof createRuntime>;
  readonly #createRoot: HostOptions["createRoot"];
  readonly #stallMs: number;
  readonly #suspendAfterMs: number | undefined;
  readonly #trackEdits: HostOptions["trackEdits"];
  readonly #notebooks = new Map<string, NotebookRecord>();
  readonly #listeners = new Set<() => void>();
  /** `measuring.alone()`: timings wait for the other measuring cells on show */
  readonly #aloneTurns = new AloneTurns<CellKey>({ busy: () => this.measuring() });

  constructor({
    builtins,
    createRoot,
    stallMs = STALL_MS,
    suspendAfterMs,
    trackEdits,
  }: HostOptions) {
    this.#trackEdits = trackEdits;
    this.#runtime = createRuntime(builtins);
    this.#createRoot = createRoot;
    this.#stallMs = stallMs;
    this.#suspendAfterMs = suspendAfterMs;
  }

  has(name: string): boolean {
    return this.#notebooks.has(name);
  }

  /** The notebook as it runs now: its cells with the reader's edits in place. */
  notebook(name: string): LoadedNotebook | undefined {
    const notebook = this.#notebooks.get(name);
    if (!notebook) return undefined;
    const cells = notebook.spec.cells.map((c) => notebook.cells.get(c.id)?.current ?? c);
    return { ...notebook.spec, cells };
  }

  keys(name: string): CellKey[] {
    return [...(this.#notebooks.get(name)?.cells.keys() ?? [])].map((id) => cellKey(name, id));
  }

  /**
   * Defines a notebook's cells (once; later calls with the same name are ignored). `edited`
   * holds, by cell id, what runs in place of the author's cell (a reader's saved edit).
   */
  add(spec: LoadedNotebook, edited: ReadonlyMap<string, LoadedCell> = new Map()): void {
    if (this.#notebooks.has(spec.name)) return;
    const record: NotebookRecord = { spec, module: this.#runtime.module(), cells: new Map() };
    this.#notebooks.set(spec.name, record);
    for (const cell of spec.cells) this.#define(record, cell, edited.get(cell.id) ?? cell);
  }

  /** The cell as it runs now (edited or not). */
  cell(key: string): LoadedCell | undefined {
    return this.#find(key)?.current;
  }

  /** The cell as its author wrote it. */
  authored(key: string): LoadedCell | undefined {
    return this.#find(key)?.authored;
  }

  root(key: string): DisplayRoot | undefined {
    return this.#find(key)?.defined.root;
  }

  /**
   * Shows a cell: from now on it reports a state. With `run: false` (safe mode) it waits for
   * `run()`. Returns false when there is no such cell.
   */
  show(key: string, { run = true }: { run?: boolean } = {}): boolean {
    const record = this.#find(key);
    if (!record) return false;
    if (!record.shown) {
      record.shown = true;
      this.#setState(record, "pending");
    }
    if (run) this.run(key);
    return true;
  }

  /** Starts a shown cell; does nothing if it already runs. */
  run(key: string): void {
    const record = this.#find(key);
    if (record?.shown && !record.observed) this.#observe(record);
  }

  isShown(key: string): boolean {
    return !!this.#find(key)?.shown;
  }

  /** Shown but waiting for `run()`. */
  isHeld(key: string): boolean {
    const record = this.#find(key);
    return !!record?.shown && !record.observed;
  }

  stateOf(key: string): CellState | undefined {
    return this.#find(key)?.state;
  }

  /** Hears about one cell: its state changes and its redefinitions. */
  watch(key: string, listener: (event: CellEvent) => void): () => void {
    const record = this.#find(key);
    if (!record) return () => {};
    record.watchers.add(listener);
    return () => record.watchers.delete(listener);
  }

  /** Called after any cell changes state or definition. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs another definition of one cell (a reader's edit): the cell re-runs, its dependents
   * update, every other cell keeps its state.
   */
  replaceCell(key: string, cell: LoadedCell): void {
    const record = this.#find(key);
    const notebook = record && this.#notebooks.get(record.notebook);
    if (!record || !notebook) throw new Error(`No cell ${key}`);
    const current = cell.id === record.authored.id ? cell : { ...cell, id: record.authored.id };
    this.#redefine(notebook, record, record.authored, current);
    this.#emit();
  }

  /** Back to the author's definition. */
  restoreCell(key: string): void {
    const record = this.#find(key);
    if (record) this.replaceCell(key, record.authored);
  }

  /** Opens or closes a shown cell's gate: its generators run only while open. */
  setActive(key: string, active: boolean): void {
    const record = this.#find(key);
    if (!record || record.active === active) return;
    record.active = active;
    const notebook = this.#notebooks.get(record.notebook);
    if (notebook) this.#refreshGates(notebook);
  }

  /**
   * The width of a cell's output changed: a cell that sized itself with `fit` re-runs, unless it
   * is a generator, which reads `fit` again at its next step instead of starting over.
   */
  resized(key: string, width: number): void {
    const record = this.#find(key);
    if (!record || record.width === width) return;
    const before = record.width;
    record.width = width;
    if (before === undefined || !record.observed) return;
    if (record.measures && !record.generates) rerunCell(record.defined);
  }

  cells(): CellStatus[] {
    const out: CellStatus[] = [];
    for (const notebook of this.#notebooks.values()) {
      for (const record of notebook.cells.values()) {
        if (!record.shown) continue;
        out.push({
          id: record.current.id,
          notebook: record.notebook,
          state: record.state,
          ...(record.error ? { error: record.error } : {}),
          ...(record.stalled ? { stalled: true } : {}),
        });
      }
    }
    return out;
  }

  /**
   * Shown cells still at work: not yet started, or running while on screen. A cell off screen
   * may wait on its gate indefinitely (a paused loop), so it does not count.
   */
  busy(): CellKey[] {
    const out: CellKey[] = [];
    const now = performance.now();
    for (const notebook of this.#notebooks.values()) {
      for (const record of notebook.cells.values()) {
        if (!record.shown || !record.observed) continue;
        if (record.state === "running" && now - record.runningSince > this.#stallMs) {
          this.#stall(record);
          continue;
        }
        if (record.state === "pending" || (record.state === "running" && record.gate.open)) {
          out.push(record.key);
        }
      }
    }
    return out;
  }

  /**
   * Cells whose current run called `measuring()` and has not yet ended, while their gate is open
   * (a cell on screen, or one it depends on): what they show now is not their final result.
   */
  measuring(): CellKey[] {
    const out: CellKey[] = [];
    for (const notebook of this.#notebooks.values()) {
      for (const record of notebook.cells.values()) {
        if (record.measuring && !record.ended && record.gate.open && record.state !== "error") {
          out.push(record.key);
        }
      }
    }
    return out;
  }

  #stall(record: CellRecord): void {
    if (record.stalled) return;
    record.stalled = true;
    for (const watcher of record.watchers) watcher({ type: "stalled" });
    this.#emit();
  }

  /**
   * Applies a new version of a notebook (hot reload): cells whose source changed are redefined,
   * the others keep their state (and a reader's edit stays in place); removed cells go.
   */
  update(spec: LoadedNotebook): void {
    const notebook = this.#notebooks.get(spec.name);
    if (!notebook) return this.add(spec);
    notebook.spec = spec;
    const next = new Set(spec.cells.map((c) => c.id));
    for (const [id, record] of notebook.cells) {
      if (next.has(id)) continue;
      deleteCell(record.defined);
      record.shown = false;
      notebook.cells.delete(id);
    }
    for (const cell of spec.cells) {
      const old = notebook.cells.get(cell.id);
      if (!old) {
        this.#define(notebook, cell, cell);
        continue;
      }
      const same = old.authored.source === cell.source && !old.authored.error === !cell.error;
      if (same) continue;
      const edited = old.current !== old.authored;
      this.#redefine(notebook, old, cell, edited ? old.current : cell);
    }
    this.#refreshGates(notebook);
    this.#emit();
  }

  /** Re-runs every cell that uses `name` directly (e.g. `tf` after a backend change). */
  rerun(name: string): void {
    for (const notebook of this.#notebooks.values()) {
      for (const record of notebook.cells.values()) {
        if (record.current.inputs.includes(name)) {
          this.#redefine(notebook, record, record.authored, record.current);
        }
      }
    }
  }

  /** Ends every cell: generators stop, what cells own is released. */
  dispose(): void {
    this.#runtime.dispose();
    this.#notebooks.clear();
  }

  #redefine(
    notebook: NotebookRecord,
    old: CellRecord,
    authored: LoadedCell,
    current: LoadedCell,
  ): void {
    deleteCell(old.defined);
    const record = this.#define(notebook, authored, current, old);
    for (const watcher of record.watchers) {
      watcher({ type: "redefined", cell: current, root: record.defined.root });
    }
    if (old.observed) this.#observe(record);
    this.#refreshGates(notebook);
  }

  /** Opens the gates of the cells on screen and of every cell they depend on; closes the rest. */
  #refreshGates(notebook: NotebookRecord): void {
    const records = [...notebook.cells.values()];
    const needed = neededCells(
      records.map((r) => ({
        id: r.current.id,
        inputs: r.current.inputs,
        outputs: r.current.output ? [...r.current.outputs, r.current.output] : r.current.outputs,
        active: r.shown && r.active,
      })),
    );
    for (const record of records) record.gate.set(needed.has(record.current.id));
  }

  /** The per-run names (`signal`, `own`, `fit`) that the notebook does not define itself. */
  #perRunNames(notebook: NotebookRecord, cell: LoadedCell): Set<string> {
    const defined = new Set<string>();
    for (const c of notebook.cells.values()) {
      if (c.current.id === cell.id) continue;
      for (const name of c.current.outputs) defined.add(name);
      if (c.current.output) defined.add(c.current.output);
    }
    return new Set(PER_RUN_NAMES.filter((n) => cell.inputs.includes(n) && !defined.has(n)));
  }

  #define(
    notebook: NotebookRecord,
    authored: LoadedCell,
    current: LoadedCell,
    previous?: CellRecord,
  ): CellRecord {
    const key = cellKey(notebook.spec.name, authored.id);
    const gate = previous?.gate ?? new Gate(false);
    const root = this.#createRoot?.(current.inline);
    // The record is made below; the site reads it when the cell runs, never before.
    const self = {} as { record: CellRecord };
    const site: CellSite = {
      gate,
      ...(this.#suspendAfterMs !== undefined && { suspendAfterMs: this.#suspendAfterMs }),
      width: () => self.record.width,
      measured: () => void (self.record.measures = true),
      generating: (running) => void (self.record.generates = running),
      measuring: () => void (self.record.measuring = true),
      alone: (signal) => this.#aloneTurns.take(key, signal),
      ended: () => {
        self.record.ended = true;
        this.#aloneTurns.endFor(key);
        if (self.record.measuring) this.#emit();
      },
      releaseWhenSettled: current.checks !== undefined,
      ...(current !== authored && { track: (fn) => (this.#trackEdits?.() ?? untracked)(fn) }),
    };
    const body = current.body
      ? wrapBody(
          (...args: unknown[]) => {
            // a new run says again
            self.record.measures = self.record.generates = false;
            self.record.measuring = self.record.ended = false;
            return (current.body as (...a: unknown[]) => unknown)(...args);
          },
          current.inputs,
          site,
          this.#perRunNames(notebook, current),
        )
      : { body: syntaxErrorBody(current), inputs: [] };
    const defined = defineCell(notebook.module, root, {
      body: body.body,
      inputs: body.inputs,
      outputs: current.body ? current.outputs : [],
      ...(current.output !== undefined && current.body ? { output: current.output } : {}),
      autodisplay: current.autodisplay,
      ...(current.autoview ? { autoview: true } : {}),
      ...(current.automutable ? { automutable: true } : {}),
    });
    const record: CellRecord = {
      key,
      notebook: notebook.spec.name,
      authored,
      current,
      defined,
      gate,
      active: previous?.active ?? false,
      shown: previous?.shown ?? false,
      observed: false,
      state: previous?.state ?? "pending",
      runningSince: performance.now(),
      stalled: false,
      ...(previous?.width !== undefined ? { width: previous.width } : {}),
      measures: false,
      generates: false,
      measuring: false,
      ended: false,
      watchers: previous?.watchers ?? new Set(),
    };
    self.record = record;
    notebook.cells.set(authored.id, record);
    return record;
  }

  #observe(record: CellRecord): void {
    record.observed = true;
    const display = record.defined.display;
    observeCell(record.defined, {
      pending: () => {
        display?.pending();
        this.#setState(record, "running");
      },
      fulfilled: (value: unknown) => {
        // Inline values in prose read as text, not as the inspector's quoted strings.
        if (record.current.inline && isPrimitive(value)) {
          record.defined.root?.replaceChildren(String(value));
        } else {
          display?.fulfilled(value);
        }
        this.#setState(record, "ready");
      },
      rejected: (error: unknown) => {
        const report = explainError(
          error,
          { key: record.key, inputs: record.current.inputs },
          (name) => this.#definerOf(record.notebook, name),
        );
        this.#setState(record, "error", formatAlert(record.key, report));
      },
    });
  }

  #setState(record: CellRecord, state: CellState, error?: string): void {
    if (state === "running" && record.state !== "running") record.runningSince = performance.now();
    if (state !== "running") record.stalled = false;
    record.state = state;
    record.error = error;
    for (const watcher of record.watchers) {
      watcher(error === undefined ? { type: "state", state } : { type: "state", state, error });
    }
    this.#emit();
  }

  #definerOf(notebook: string, name: string): string | undefined {
    for (const record of this.#notebooks.get(notebook)?.cells.values() ?? []) {
      if (record.current.outputs.includes(name) || record.current.output === name) {
        return record.key;
      }
    }
    return undefined;
  }

  #find(key: string): CellRecord | undefined {
    const address = parseCellKey(key);
    return address && this.#notebooks.get(address.notebook)?.cells.get(address.cell);
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

const untracked: Track = (fn) => ({ value: fn(), made: [] });

function isPrimitive(value: unknown): value is string | number | boolean | bigint {
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean" || type === "bigint";
}

function syntaxErrorBody(cell: LoadedCell) {
  const { message, line, column } = cell.error ?? { message: "no code", line: 1, column: 1 };
  const error = new SyntaxError(`${message} (line ${line}, column ${column})`);
  return () => {
    throw error;
  };
}
