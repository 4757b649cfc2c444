/**
 * A gate says whether a cell may run its loops now (its slide is showing, it is on screen).
 * Generators are wrapped so that they pull their next value only while the gate is open: a
 * training loop pauses when its slide is left and resumes where it was when the slide returns.
 */
import { isGeneratorLike } from "./disposal.ts";

export class Gate {
  #open: boolean;
  #waiters: Array<() => void> = [];
  #listeners = new Set<(open: boolean) => void>();

  constructor(open = false) {
    this.#open = open;
  }

  get open(): boolean {
    return this.#open;
  }

  set(open: boolean): void {
    if (open === this.#open) return;
    this.#open = open;
    if (open) for (const resolve of this.#waiters.splice(0)) resolve();
    for (const listener of this.#listeners) listener(open);
  }

  /** Resolves at once when open, else when the gate next opens. */
  whenOpen(): Promise<void> {
    return this.#open ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }

  onChange(listener: (open: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * Wraps a generator so each `next()` first waits for the gate; `return()` reaches the original.
 * `onValue` sees every value it yields.
 */
export function gated<T>(
  generator: AsyncGenerator<T> | Generator<T>,
  gate: Gate,
  onValue?: (value: T) => void,
): AsyncGenerator<T, undefined> {
  let closed = false;
  const wrapper: AsyncGenerator<T, undefined> = {
    async next(value?: unknown) {
      if (!gate.open) await gate.whenOpen();
      if (closed) return { done: true, value: undefined };
      const result = await generator.next(value as never);
      if (result.done) return { done: true, value: undefined };
      onValue?.(result.value);
      return { done: false, value: result.value };
    },
    async return() {
      closed = true;
      await generator.return(undefined as never);
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      closed = true;
      await generator.throw(error);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return wrapper;
}

/** Gates a cell's value: the value itself if it is a generator, or its exported generators. */
export function gateValue(
  value: unknown,
  gate: Gate,
  onValue?: (name: string, value: unknown) => void,
): unknown {
  if (isGeneratorLike(value)) return gated(value, gate, onValue && ((v) => onValue("", v)));
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      if (isGeneratorLike(record[key])) {
        (copy ??= { ...record })[key] = gated(
          record[key],
          gate,
          onValue && ((v) => onValue(key, v)),
        );
      }
    }
    return copy ?? value;
  }
  return value;
}
