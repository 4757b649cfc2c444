/**
 * Runs notebooks on one Observable runtime: one module per notebook, shared by every view that
 * shows its cells (a slide, the reading view, the notebook's page). Cells are defined unobserved
 * and compute only once mounted somewhere or needed by a mounted cell.
 */
import type { CellSpec, NotebookSpec } from "../notebook/types.ts";
import type { Builtins } from "./builtins.ts";
import { wrapBody } from "./cell-body.ts";
import type { CellState, CellStatus } from "./cell-state.ts";
import { CellView } from "./cell-view.ts";
import { explainError, formatReport } from "./errors.ts";
import { Gate } from "./gate.ts";
import { neededCells } from "./needed-cells.ts";
import {
  createRuntime,
  defineCell,
  deleteCell,
  observeCell,
  type DefinedCell,
  type Module,
} from "./kit.ts";

type Body = (...args: never[]) => unknown;
export type LoadedNotebook = NotebookSpec<Body>;
export type LoadedCell = CellSpec<Body>;

interface CellRecord {
  key: string;
  notebook: string;
  spec: LoadedCell;
  defined: DefinedCell;
  /** open while the cell, or a cell on screen that depends on it, is on screen */
  gate: Gate;
  /** on screen now (its slide is current, or it is in the viewport) */
  active: boolean;
  view?: CellView;
  state: CellState;
  error?: string;
  /** an observer is attached: the runtime computes the cell */
  observed: boolean;
}

interface NotebookRecord {
  spec: LoadedNotebook;
  module: Module;
  cells: Map<string, CellRecord>;
}

export interface MountOptions {
  showCode: boolean;
  codeToggle?: boolean;
  /** mount without running: the cell waits for `run()` (safe mode) */
  deferRun?: boolean;
}

export class NotebookHost {
  readonly #runtime: ReturnType<typeof createRuntime>;
  readonly #notebooks = new Map<string, NotebookRecord>();
  readonly #listeners = new Set<() => void>();

  constructor(builtins: Builtins) {
    this.#runtime = createRuntime(builtins);
  }

  has(name: string): boolean {
    return this.#notebooks.has(name);
  }

  notebook(name: string): LoadedNotebook | undefined {
    return this.#notebooks.get(name)?.spec;
  }

  /** Defines a notebook's cells (once; later calls with the same name are ignored). */
  add(spec: LoadedNotebook): void {
    if (this.#notebooks.has(spec.name)) return;
    const record: NotebookRecord = {
      spec,
      module: this.#runtime.module(),
      cells: new Map(),
    };
    this.#notebooks.set(spec.name, record);
    for (const cell of spec.cells) this.#define(record, cell);
  }

  /** Shows a cell in `slot`, creating its view on first use; later calls move the same view. */
  mount(key: string, slot: HTMLElement, options: MountOptions): CellView | undefined {
    const record = this.#find(key);
    if (!record) return undefined;
    if (!record.view) {
      record.view = new CellView({
        key,
        inline: record.spec.inline,
        highlighted: record.spec.highlighted,
        showCode: options.showCode || record.spec.echo,
        codeToggle: options.codeToggle ?? false,
      });
      record.view.adopt(record.defined.root);
      if (options.deferRun) record.view.setState("pending");
      else this.#observe(record);
    } else if (options.showCode) {
      record.view.showCode(true);
    }
    const previous = record.view.element.parentElement;
    if (previous !== slot) {
      // A cell shown in two places has one live view: the other place says where it went.
      if (previous) previous.replaceChildren(elsewhere(key));
      slot.replaceChildren(record.view.element);
    }
    return record.view;
  }

  /** Starts a cell mounted with `deferRun`; does nothing if it already runs. */
  run(key: string): void {
    const record = this.#find(key);
    if (record?.view && !record.observed) this.#observe(record);
  }

  stateOf(key: string): CellState | undefined {
    return this.#find(key)?.state;
  }

  /** The cell as the notebook defines it now (edited or not). */
  cell(key: string): LoadedCell | undefined {
    return this.#find(key)?.spec;
  }

  /**
   * Replaces one cell's definition (a reader's edit, or undoing one): the cell re-runs, its
   * dependents update, every other cell keeps its state.
   */
  replaceCell(key: string, cell: LoadedCell): void {
    const record = this.#find(key);
    const notebook = record && this.#notebooks.get(record.notebook);
    if (!record || !notebook) throw new Error(`No cell ${key}`);
    this.#redefine(notebook, { ...cell, id: record.spec.id }, record);
    this.#emit();
  }

  isMounted(key: string): boolean {
    return !!this.#find(key)?.view;
  }

  /** Opens or closes a mounted cell's gate: its generators run only while open. */
  setActive(key: string, active: boolean): void {
    const record = this.#find(key);
    if (!record) return;
    record.active = active;
    const notebook = this.#notebooks.get(record.notebook);
    if (notebook) this.#refreshGates(notebook);
  }

  cells(): CellStatus[] {
    const out: CellStatus[] = [];
    for (const notebook of this.#notebooks.values()) {
      for (const record of notebook.cells.values()) {
        if (!record.view) continue;
        out.push({
          id: record.spec.id,
          notebook: record.notebook,
          state: record.state,
          ...(record.error ? { error: record.error } : {}),
        });
      }
    }
    return out;
  }

  /**
   * Mounted cells still at work: not yet started, or running while on screen. A cell off screen
   * may wait on its gate indefinitely (a paused loop), so it does not count.
   */
  busy(): string[] {
    const out: string[] = [];
    for (const notebook of this.#notebooks.values()) {
      for (const record of notebook.cells.values()) {
        if (!record.view || !record.observed) continue;
        if (record.state === "pending" || (record.state === "running" && record.gate.open)) {
          out.push(record.key);
        }
      }
    }
    return out;
  }

  /** Called after any cell changes state. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Applies a new version of a notebook (hot reload): cells whose source changed are redefined,
   * the others keep their state; removed cells go, new cells are defined.
   */
  update(spec: LoadedNotebook): void {
    const notebook = this.#notebooks.get(spec.name);
    if (!notebook) return this.add(spec);
    notebook.spec = spec;
    const next = new Set(spec.cells.map((c) => c.id));
    for (const [id, record] of notebook.cells) {
      if (next.has(id)) continue;
      deleteCell(record.defined);
      record.view?.element.remove();
      notebook.cells.delete(id);
    }
    for (const cell of spec.cells) {
      const old = notebook.cells.get(cell.id);
      if (old && old.spec.source === cell.source && !old.spec.error === !cell.error) continue;
      this.#redefine(notebook, cell, old);
    }
    this.#refreshGates(notebook);
    this.#emit();
  }

  /** Re-runs every cell that uses TensorFlow.js directly (after a backend change); dependents follow. */
  rerun(uses: string): void {
    for (const notebook of this.#notebooks.values()) {
      for (const record of notebook.cells.values()) {
        if (record.spec.inputs.includes(uses)) this.#redefine(notebook, record.spec, record);
      }
    }
  }

  #redefine(notebook: NotebookRecord, cell: LoadedCell, old: CellRecord | undefined): void {
    if (old) deleteCell(old.defined);
    const record = this.#define(notebook, cell);
    record.active = old?.active ?? false;
    if (old?.view) {
      record.view = old.view;
      record.view.setHighlighted(cell.highlighted);
      record.view.adopt(record.defined.root);
      if (old.observed) this.#observe(record);
    }
    this.#refreshGates(notebook);
  }

  /** Opens the gates of the cells on screen and of every cell they depend on; closes the rest. */
  #refreshGates(notebook: NotebookRecord): void {
    const records = [...notebook.cells.values()];
    const needed = neededCells(
      records.map((r) => ({
        id: r.spec.id,
        inputs: r.spec.inputs,
        outputs: r.spec.output ? [...r.spec.outputs, r.spec.output] : r.spec.outputs,
        active: !!r.view && r.active,
      })),
    );
    for (const record of records) record.gate.set(needed.has(record.spec.id));
  }

  #define(notebook: NotebookRecord, cell: LoadedCell): CellRecord {
    const key = `${notebook.spec.name}/${cell.id}`;
    const gate = new Gate(false);
    const root = document.createElement(cell.inline ? "span" : "div");
    root.className = "fd-root";
    const { body, inputs } = cell.body
      ? wrapBody(cell.body as (...args: unknown[]) => unknown, cell.inputs, gate)
      : { body: syntaxErrorBody(cell), inputs: [] };
    const defined = defineCell(notebook.module, root, {
      body,
      inputs,
      outputs: cell.body ? cell.outputs : [],
      ...(cell.output !== undefined && cell.body ? { output: cell.output } : {}),
      autodisplay: cell.autodisplay,
      ...(cell.autoview ? { autoview: true } : {}),
      ...(cell.automutable ? { automutable: true } : {}),
    });
    const record: CellRecord = {
      key,
      notebook: notebook.spec.name,
      spec: cell,
      defined,
      gate,
      active: false,
      state: "pending",
      observed: false,
    };
    notebook.cells.set(cell.id, record);
    return record;
  }

  #observe(record: CellRecord): void {
    record.observed = true;
    const display = record.defined.display;
    const set = (state: CellState, error?: string) => {
      record.state = state;
      record.error = error;
      record.view?.setState(state, error);
      this.#emit();
    };
    observeCell(record.defined, {
      _node: record.defined.root,
      pending: () => {
        display.pending?.();
        set("running");
      },
      fulfilled: (value: unknown) => {
        // Inline values in prose read as text, not as the inspector's quoted strings.
        if (record.spec.inline && isPrimitive(value)) {
          record.defined.root.replaceChildren(String(value));
        } else {
          display.fulfilled?.(value);
        }
        set("ready");
      },
      rejected: (error: unknown) => {
        const report = explainError(
          error,
          { key: record.key, inputs: record.spec.inputs },
          (name) => this.#definerOf(record.notebook, name),
        );
        set("error", `${record.key}: ${formatReport(report)}`);
      },
    } as Parameters<typeof observeCell>[1]);
  }

  #definerOf(notebook: string, name: string): string | undefined {
    for (const record of this.#notebooks.get(notebook)?.cells.values() ?? []) {
      if (record.spec.outputs.includes(name) || record.spec.output === name) return record.key;
    }
    return undefined;
  }

  #find(key: string): CellRecord | undefined {
    const slash = key.indexOf("/");
    return this.#notebooks.get(key.slice(0, slash))?.cells.get(key.slice(slash + 1));
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

function elsewhere(key: string): HTMLElement {
  const note = document.createElement("div");
  note.className = "fd-elsewhere";
  note.textContent = `${key} is shown in another place on this page`;
  return note;
}

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
