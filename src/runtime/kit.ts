/**
 * The one place that knows Notebook Kit's runtime layer and the Observable runtime's private
 * fields. Everything else in Flowdeck talks to cells through these functions.
 */
import { Runtime } from "@observablehq/runtime";
import type { Module, Observer, Variable, VariableDefinition } from "@observablehq/runtime";
import { define, type DefineState, type Definition } from "notebook-kit/define";
import { observe as displayObserver } from "notebook-kit/display";

export type { Module, Observer, Variable, VariableDefinition };
export { display, clear } from "notebook-kit/display";
export * as Generators from "notebook-kit/generators";
export { Mutable } from "notebook-kit/mutable";

/** The private shape of a runtime variable that this adapter reads. */
interface VariableInternals {
  _observer: Observer | symbol;
  _value: unknown;
  _promise: Promise<unknown>;
  _version: number;
  _module: { _runtime: RuntimeInternals };
}
interface RuntimeInternals {
  _dirty: Set<Variable>;
  _precomputes: unknown[];
  _disposed: boolean;
  _compute(): Promise<void>;
  _computeNow(): Promise<void>;
  _computeSoon(): Promise<void>;
}

const internals = (v: Variable) => v as unknown as VariableInternals;

export interface CellDefinition {
  body: VariableDefinition;
  inputs: string[];
  outputs: string[];
  output?: string;
  autodisplay: boolean;
  autoview?: boolean;
  automutable?: boolean;
}

/** A cell defined on a module: its display root and the variables Notebook Kit made for it. */
export interface DefinedCell {
  readonly root: HTMLElement;
  /** the first variable is the cell's own; the rest expose its outputs */
  readonly variables: Variable[];
  /** Notebook Kit's observer, which renders values and errors into root */
  readonly display: Observer & { _node: HTMLElement };
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
  return (callback) => {
    queue.push(callback);
    channel.port2.postMessage(null);
  };
}

/**
 * Defines a cell on `module` without observing it: the runtime computes it only once something
 * observes it (see `observeCell`) or an observed cell depends on it.
 */
export function defineCell(module: Module, root: HTMLElement, cell: CellDefinition): DefinedCell {
  const state: DefineState = { root, expanded: [], variables: [] };
  const definition: Definition = { id: nextId++, ...cell };
  let display: DefinedCell["display"] | undefined;
  define(module, state, definition, (s, d) => {
    display = displayObserver(s, d);
    return undefined; // unobserved until mounted
  });
  if (!display) throw new Error("Notebook Kit did not create an observer");
  // Notebook Kit observes the variables a cell declares (so that every cell of a notebook runs
  // at load); here they compute only when something that is shown needs them.
  const unobserved = internals(module.variable())._observer;
  for (const v of state.variables.slice(1)) internals(v)._observer = unobserved;
  return { root, variables: state.variables, display };
}

/**
 * Starts observing a defined cell. If the runtime already computed it (another cell needed its
 * value), the observer is told the current outcome at once, since no new event would come.
 */
export function observeCell(cell: DefinedCell, observer: Observer): void {
  const v = cell.variables[0];
  if (!v) return;
  const inner = internals(v);
  const wasComputed = inner._version > 0;
  inner._observer = observer;
  const runtime = inner._module._runtime;
  runtime._dirty.add(v);
  void runtime._compute();
  if (wasComputed) {
    const version = inner._version;
    observer.pending?.();
    inner._promise.then(
      (value) => inner._version === version && observer.fulfilled?.(value),
      (error: unknown) => inner._version === version && observer.rejected?.(error),
    );
  }
}

/** Removes a cell's variables; their invalidation promises resolve, so generators stop. */
export function deleteCell(cell: DefinedCell): void {
  for (const v of cell.variables) {
    v.dispose();
    v.delete();
  }
  cell.variables.length = 0;
}
