/**
 * The one place that knows Notebook Kit's runtime layer and the Observable runtime's private
 * fields. Everything else in Flowdeck talks to cells through these functions, and
 * `privateShapeProblems` (pinned by a unit test) says when an upgrade moved what they rely on.
 */
import { Runtime } from "@observablehq/runtime";
import type { Module, Observer, Variable, VariableDefinition } from "@observablehq/runtime";
import { define, type DefineState, type Definition } from "notebook-kit/define";
import { observe as displayObserver } from "notebook-kit/display";

export type { Module, Observer, Variable, VariableDefinition };
export * as Generators from "notebook-kit/generators";
export { Mutable } from "notebook-kit/mutable";

/** The private shape of a runtime variable that this adapter reads. */
interface VariableInternals {
  _observer: Observer | symbol;
  _value: unknown;
  _promise: Promise<unknown>;
  _version: number;
  _module: { _runtime: RuntimeInternals };
  /** Notebook Kit's per-cell `display` variable lives here, under "display" */
  _shadow: Map<string, Variable> | null;
}
interface RuntimeInternals {
  _dirty: Set<Variable>;
  _updates: Set<Variable>;
  _precomputes: unknown[];
  _disposed: boolean;
  _compute(): Promise<void>;
  _computeNow(): Promise<void>;
  _computeSoon(): Promise<void>;
}

const internals = (v: Variable) => v as unknown as VariableInternals;

/**
 * Where Notebook Kit renders a cell: an element in the browser. A headless host (Node tests)
 * passes none and gets a stand-in that holds nothing; such cells must not call `display`.
 */
export type DisplayRoot = HTMLElement;

export interface CellDefinition {
  body: VariableDefinition;
  inputs: string[];
  outputs: string[];
  output?: string;
  autodisplay: boolean;
  autoview?: boolean;
  automutable?: boolean;
}

/** How a cell's outcome is rendered into its root (Notebook Kit's inspector and `display`). */
export interface CellDisplay {
  pending(): void;
  fulfilled(value: unknown): void;
  rejected(error: unknown): void;
}

/** A cell defined on a module: the variables Notebook Kit made for it. */
export interface DefinedCell {
  readonly root: DisplayRoot | undefined;
  /** the first variable is the cell's own; the rest expose its outputs */
  readonly variables: Variable[];
  /** renders into `root`; absent for a headless cell */
  readonly display: CellDisplay | undefined;
  /** how the cell's own variable was defined, to compute it again (see `rerunCell`) */
  readonly definition:
    { name: string | null; inputs: string[]; body: VariableDefinition } | undefined;
}

/** What a host hears about an observed cell. */
export interface CellObserver {
  pending(): void;
  fulfilled(value: unknown): void;
  rejected(error: unknown): void;
}

let nextId = 1;

/**
 * The runtime waits for the next animation frame before recomputing, which is right for
 * generators (one value per frame) but adds up to a frame of lag to every slider move. Here a
 * change made by an event is computed in the next task, still batched with the event's other
 * changes; generator pulls keep their frame.
 */
export function createRuntime(builtins: Record<string, () => unknown>): Runtime {
  const runtime = new Runtime(builtins);
  const internal = runtime as unknown as RuntimeInternals;
  const nextTask = taskScheduler();
  internal._computeSoon = function (this: RuntimeInternals) {
    const wait = this._precomputes.length > 0 ? frame : nextTask;
    return new Promise<void>((resolve) => void wait(() => resolve())).then(() =>
      this._disposed ? undefined : this._computeNow(),
    );
  };
  return runtime;
}

const frame: (callback: () => void) => unknown =
  typeof requestAnimationFrame === "function" ? requestAnimationFrame : (f) => setTimeout(f, 16);

/** Runs callbacks in a task of their own, after pending events, without a timer's clamping. */
function taskScheduler(): (callback: () => void) => void {
  const queue: Array<() => void> = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  // A headless host in Node must not be kept alive by the port.
  (channel.port1 as { unref?: () => void }).unref?.();
  return (callback) => {
    queue.push(callback);
    channel.port2.postMessage(null);
  };
}

/** Holds nothing: what Notebook Kit's `clear` reads of a root, for a headless cell. */
function standInRoot(): DisplayRoot {
  return { childNodes: [], lastChild: null } as unknown as DisplayRoot;
}

/**
 * A generator that yields the element it shows already (a live view that redraws itself) leaves
 * it in place. Notebook Kit would take it out and put it back, and the page would then style, lay
 * out, paint and composite all of it again at every yield: for the distributed demo, a fifth of
 * a core at its 7 yields a second (an emulated GPU), taken from the workers it shows.
 */
function keepShownElement<O extends CellDisplay>(
  observer: O,
  state: { root: DisplayRoot },
  autodisplay: boolean,
): O {
  const fulfilled = observer.fulfilled.bind(observer);
  observer.fulfilled = (value: unknown) => {
    const root = state.root;
    const shown = root.childNodes.length === 1 && root.firstChild === value;
    if (autodisplay && value instanceof Element && shown) return;
    fulfilled(value);
  };
  return observer;
}

/**
 * Defines a cell on `module` without observing it: the runtime computes it only once something
 * observes it (see `observeCell`) or an observed cell depends on it.
 */
export function defineCell(
  module: Module,
  root: DisplayRoot | undefined,
  cell: CellDefinition,
): DefinedCell {
  const state: DefineState = { root: root ?? standInRoot(), expanded: [], variables: [] };
  const definition: Definition = { id: nextId++, ...cell };
  let display: CellDisplay | undefined;
  define(module, state, definition, (s, d) => {
    if (root) display = keepShownElement(displayObserver(s, d), s, d.autodisplay === true);
    return undefined; // unobserved until shown
  });
  // Notebook Kit observes the variables a cell declares (so that every cell of a notebook runs
  // at load); here they compute only when something that is shown needs them.
  const unobserved = internals(module.variable())._observer;
  for (const v of state.variables.slice(1)) internals(v)._observer = unobserved;
  // The name Notebook Kit gives the cell's own variable (a mutable's is defined otherwise).
  const name = cell.output ?? (cell.outputs.length ? `cell ${definition.id}` : null);
  const again = cell.automutable ? undefined : { name, inputs: cell.inputs, body: cell.body };
  return { root, variables: state.variables, display, definition: again };
}

/**
 * Starts observing a defined cell. If the runtime already computed it (another cell needed its
 * value), the observer is told the current outcome at once, since no new event would come.
 */
export function observeCell(cell: DefinedCell, observer: CellObserver): void {
  const v = cell.variables[0];
  if (!v) return;
  const inner = internals(v);
  const wasComputed = inner._version > 0;
  // `_node` is how the runtime's `visibility()` finds the cell on screen.
  inner._observer = { ...observer, ...(cell.root && { _node: cell.root }) } as Observer;
  const runtime = inner._module._runtime;
  runtime._dirty.add(v);
  void runtime._compute();
  if (wasComputed) {
    const version = inner._version;
    observer.pending();
    inner._promise.then(
      (value) => inner._version === version && observer.fulfilled(value),
      (error: unknown) => inner._version === version && observer.rejected(error),
    );
  }
}

/** Computes a cell again with the same definition and inputs (its dependents follow). */
export function rerunCell(cell: DefinedCell): void {
  const v = cell.variables[0];
  if (!v || !cell.definition) return;
  const { name, inputs, body } = cell.definition;
  // Notebook Kit clears what a cell displayed only when the cell's `display` computes anew (it
  // compares versions); redefining the cell alone would append a second copy of its output.
  // Computing `display` again computes the cell after it, as its dependent.
  const shown = internals(v)._shadow?.get("display");
  if (shown) {
    const runtime = internals(v)._module._runtime;
    runtime._updates.add(shown);
    void runtime._compute();
    return;
  }
  v.define(name, inputs, body);
}

/** Removes a cell's variables; their invalidation promises resolve, so generators stop. */
export function deleteCell(cell: DefinedCell): void {
  for (const v of cell.variables) {
    v.dispose();
    v.delete();
  }
  cell.variables.length = 0;
}

/**
 * What this adapter relies on that the packages do not document, checked on live objects: an
 * empty list at the pinned versions. An upgrade that changes any of it fails here, loudly.
 */
export function privateShapeProblems(): string[] {
  const problems: string[] = [];
  const expect = (what: string, ok: boolean) => void (ok || problems.push(what));
  const runtime = new Runtime({});
  const r = runtime as unknown as Record<string, unknown>;
  expect("runtime._dirty is a Set", r._dirty instanceof Set);
  expect("runtime._updates is a Set", r._updates instanceof Set);
  expect("runtime._precomputes is an array", Array.isArray(r._precomputes));
  expect("runtime._disposed is a boolean", typeof r._disposed === "boolean");
  for (const name of ["_compute", "_computeNow", "_computeSoon"]) {
    expect(`runtime.${name} is a function`, typeof r[name] === "function");
  }
  const module = runtime.module();
  const state: DefineState = { root: standInRoot(), expanded: [], variables: [] };
  let made: Record<string, unknown> | undefined;
  define(
    module,
    state,
    { id: 0, body: () => ({ a: 1 }), inputs: [], outputs: ["a"], autodisplay: false },
    (s, d) => {
      made = displayObserver(s, d) as unknown as Record<string, unknown>;
      return undefined;
    },
  );
  expect("Notebook Kit's display observer has _node", !!made && "_node" in made);
  expect("define() made the cell's variable and one per output", state.variables.length === 2);
  const v = state.variables[0] as unknown as Record<string, unknown> | undefined;
  expect("variable._observer is set", !!v && "_observer" in v);
  expect("variable._version is a number", typeof v?._version === "number");
  expect("variable._promise is a promise", v?._promise instanceof Promise);
  expect("define() names a cell with outputs `cell <id>`", v?._name === "cell 0");
  const shadowed = runtime.module();
  const displaying: DefineState = { root: standInRoot(), expanded: [], variables: [] };
  define(
    shadowed,
    displaying,
    { id: 1, body: () => undefined, inputs: ["display"], outputs: [], autodisplay: false },
    () => undefined,
  );
  const cell = displaying.variables[0] as unknown as Partial<VariableInternals> | undefined;
  const shown = cell?._shadow instanceof Map ? cell._shadow.get("display") : undefined;
  expect("a cell that displays has its display variable in _shadow", !!shown);
  const owner = v?._module as { _runtime?: unknown } | undefined;
  expect("variable._module._runtime is the runtime", owner?._runtime === runtime);
  runtime.dispose();
  return problems;
}
