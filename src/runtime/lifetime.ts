/**
 * One run of a cell, from the moment the runtime calls its body to the moment it re-runs or is
 * removed. A lifetime gives the cell its `signal` (aborted at the end) and `own(x)`, and at the
 * end releases, newest first, what the cell registered and what it returned or yielded, except
 * what it was handed as inputs. Cells need neither `finally` blocks nor trackers.
 */
import { collectOwned, disposeOwned, release, releaseOf } from "./disposal.ts";
import type { Gate } from "./gate.ts";

/**
 * Something a cell owns that can let go of what it runs while the cell is not shown (workers,
 * timers) and pick up again where it was: the engine calls `suspend()` a moment after the
 * cell's slide is left or it scrolls away, and `resume()`, if there is one, when it is shown
 * again. `own({ suspend: () => job.stop() })` is enough for work that need not come back.
 */
export interface Suspendable {
  suspend(): void;
  resume?(): void;
}

export function isSuspendable(value: unknown): value is Suspendable {
  const v = value as Partial<Suspendable> | null;
  return typeof v === "object" && v !== null && typeof v.suspend === "function";
}

/**
 * How long a cell stays unshown before what it owns is suspended: stepping through the deck
 * quickly, or scrolling past, does not stop and restart workers at every slide.
 */
export const SUSPEND_AFTER_MS = 1000;

export class CellEndedError extends Error {
  override name = "AbortError";
}

export class Lifetime {
  readonly #controller = new AbortController();
  readonly #registered: unknown[] = [];
  readonly #borrowed: unknown[];
  /** the value the cell produced */
  #value: unknown;
  /** the latest value of each generator the cell produced, by the name it goes by */
  readonly #yielded = new Map<string, unknown>();
  #ended = false;
  #suspended = false;
  #suspendTimer: ReturnType<typeof setTimeout> | undefined;
  #unfollow: (() => void) | undefined;

  /** `borrowed`: the cell's inputs, which belong to the cells that made them */
  constructor(borrowed: unknown[]) {
    this.#borrowed = borrowed;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Registers something to release when the run ends: anything with `dispose()`, `destroy()` or
   * `Symbol.dispose`, a function to call, or an array or plain object of such things. Returns
   * it, so `const pg = own(new Playground(…))`. Registered after the end, it is released at once.
   */
  readonly own = <T>(resource: T): T => {
    const single = typeof resource === "function" || releaseOf(resource) || isSuspendable(resource);
    const parts = single ? [resource] : collectOwned(resource, { variables: true });
    for (const part of parts) {
      if (this.#ended) this.#releaseOne(part);
      else {
        this.#registered.push(part);
        if (this.#suspended) call(part, "suspend");
      }
    }
    return resource;
  };

  /**
   * Suspends what the run owns while the gate stays closed (after `SUSPEND_AFTER_MS`) and
   * resumes it when the gate opens again.
   */
  follow(gate: Gate, suspendAfterMs = SUSPEND_AFTER_MS): void {
    this.#unfollow?.();
    const changed = (open: boolean) => {
      clearTimeout(this.#suspendTimer);
      this.#suspendTimer = undefined;
      if (open) this.#setSuspended(false);
      else this.#suspendTimer = setTimeout(() => this.#setSuspended(true), suspendAfterMs);
    };
    this.#unfollow = gate.onChange(changed);
    if (!gate.open) changed(false);
  }

  #setSuspended(suspended: boolean): void {
    if (this.#ended || suspended === this.#suspended) return;
    this.#suspended = suspended;
    for (const resource of this.#registered) call(resource, suspended ? "suspend" : "resume");
  }

  /** The cell's value: released at the end unless an input also holds it. */
  adopt(value: unknown): void {
    this.#value = value;
  }

  /**
   * A generator's newest value replaces the previous one: what only the previous one held is
   * released now (a training loop that yields fresh tensors every step leaks none).
   */
  yielded(generator: string, value: unknown): void {
    const previous = this.#yielded.get(generator);
    this.#yielded.set(generator, value);
    if (previous === undefined || previous === value) return;
    disposeOwned(previous, [value, this.#borrowed, this.#registered]);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#suspendTimer);
    this.#unfollow?.();
    this.#controller.abort(new CellEndedError("The cell re-ran or was removed"));
    const registered = this.#registered.splice(0).reverse();
    const keep = collectOwned(this.#borrowed);
    for (const resource of registered) {
      if (!keep.has(resource as object)) this.#releaseOne(resource);
    }
    disposeOwned([this.#value, ...this.#yielded.values()], [this.#borrowed, registered]);
    this.#value = undefined;
    this.#yielded.clear();
  }

  #releaseOne(resource: unknown): void {
    if (typeof resource === "function") {
      try {
        (resource as () => unknown)();
      } catch (error) {
        console.error("A cell's clean-up function failed", error);
      }
    } else {
      release(resource);
    }
  }
}

/** A failing suspend or resume is reported and does not keep the others from theirs. */
function call(resource: unknown, method: keyof Suspendable): void {
  if (!isSuspendable(resource)) return;
  try {
    resource[method]?.();
  } catch (error) {
    console.error(`A cell's ${method}() failed`, error);
  }
}
