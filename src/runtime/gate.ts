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
 * `onValue` sees every value it yields; `onEnd` hears once that it has ended (returned, thrown,
 * or been closed).
 */
export function gated<T>(
  generator: AsyncGenerator<T> | Generator<T>,
  gate: Gate,
  onValue?: (value: T) => void,
  onEnd?: () => void,
): AsyncGenerator<T, undefined> {
  let closed = false;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd?.();
  };
  const wrapper: AsyncGenerator<T, undefined> = {
    async next(value?: unknown) {
      if (!gate.open) await gate.whenOpen();
      if (closed) return { done: true, value: undefined };
      let result: IteratorResult<T>;
      try {
        result = await generator.next(value as never);
      } catch (error) {
        end();
        throw error;
      }
      if (result.done) {
        end();
        return { done: true, value: undefined };
      }
      onValue?.(result.value);
      return { done: false, value: result.value };
    },
    async return() {
      closed = true;
      try {
        await generator.return(undefined as never);
      } finally {
        end();
      }
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      closed = true;
      try {
        await generator.throw(error);
      } finally {
        end();
      }
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return wrapper;
}

/**
 * Gates a cell's value: the value itself if it is a generator, or its exported generators.
 * `onEnd` hears once that every generator gated here has ended (never, when there is none).
 */
export function gateValue(
  value: unknown,
  gate: Gate,
  onValue?: (name: string, value: unknown) => void,
  onEnd?: () => void,
): unknown {
  if (isGeneratorLike(value)) {
    return gated(value, gate, onValue && ((v) => onValue("", v)), onEnd);
  }
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    const names = Object.keys(record).filter((key) => isGeneratorLike(record[key]));
    if (!names.length) return value;
    const copy = { ...record };
    let running = names.length;
    const endOne = () => void (--running === 0 && onEnd?.());
    for (const key of names) {
      copy[key] = gated(
        record[key] as AsyncGenerator<unknown>,
        gate,
        onValue && ((v) => onValue(key, v)),
        endOne,
      );
    }
    return copy;
  }
  return value;
}
