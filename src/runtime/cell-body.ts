/**
 * Wraps a transpiled cell body with what the engine gives every cell: thrown values made Errors,
 * generators gated by the cell's visibility, a lifetime per run (its `signal`, `own`, the
 * release of what the cell returned or yielded, and the suspension of what it owns while it is
 * not shown), `fit`, the width its output may use, and `measuring()`, which says that the run
 * computes to an end that the printed deck should show (it waits for its generators to end).
 */
import type { VariableDefinition } from "@observablehq/runtime";
import { toError } from "./errors.ts";
import { gateValue, type Gate } from "./gate.ts";
import { Lifetime } from "./lifetime.ts";

type Body = (...args: unknown[]) => unknown;

/** Names a cell can use that the engine supplies per run, unless its notebook defines them. */
export const PER_RUN_NAMES = ["signal", "own", "fit", "measuring"] as const;
export type PerRunName = (typeof PER_RUN_NAMES)[number];

/** What the wrapper needs to know about where the cell is shown. */
export interface CellSite {
  readonly gate: Gate;
  /** how long the gate stays closed before what the run owns is suspended */
  readonly suspendAfterMs?: number;
  /** the width the cell's output has now, in CSS pixels; undefined while not shown */
  width(): number | undefined;
  /** the current run asked for its width: a resize should re-run it (unless it is a generator) */
  measured(): void;
  /** the current run's value, once known, is (or exports) a generator */
  generating(running: boolean): void;
  /** the current run called `measuring()`: what it shows is final only once `ended()` */
  measuring(): void;
  /** a turn to time something alone (see alone-turns.ts); at once where there is no host */
  alone?(signal: AbortSignal): Promise<() => void>;
  /** the current run's generators have all ended (or its value was no generator) */
  ended(): void;
  /**
   * The run's resources go as soon as it settles, not at the next run: for cells whose only
   * result is success or failure (an exercise's checks), so that what they made is not kept.
   */
  readonly releaseWhenSettled?: boolean;
  /**
   * Says what the synchronous part of a run made (tensors), so that it is released with the run:
   * given for a reader's edit, whose leaks would otherwise stay until a reload.
   */
  readonly track?: Track;
}

export type Track = <T>(fn: () => T) => { value: T; made: object[] };

/** A width for cells not shown anywhere yet (a dependency computed for another cell). */
const UNSHOWN_WIDTH = 640;

export interface WrappedBody {
  body: VariableDefinition;
  inputs: string[];
}

/**
 * `inputs` are the body's parameters in order; `supplied` says which of the per-run names the
 * wrapper provides (those the notebook does not define itself).
 */
export function wrapBody(
  body: Body,
  inputs: readonly string[],
  site: CellSite,
  supplied: ReadonlySet<string>,
): WrappedBody {
  const fromRuntime = inputs.filter((name) => !supplied.has(name));
  // The runtime passes `invalidation` only to cells that ask for it; every run needs it here.
  const own = fromRuntime.indexOf("invalidation");
  const runtimeInputs = own >= 0 ? fromRuntime : [...fromRuntime, "invalidation"];

  const wrapped = function (this: unknown, ...args: unknown[]) {
    const invalidation = args[own >= 0 ? own : args.length - 1] as Promise<void>;
    const borrowed = own >= 0 ? args : args.slice(0, -1);
    const lifetime = new Lifetime(borrowed);
    lifetime.follow(site.gate, site.suspendAfterMs);
    void invalidation.then(() => lifetime.end());
    const fit = (max = Infinity) => {
      site.measured();
      return Math.min(site.width() ?? Math.min(max, UNSHOWN_WIDTH), max);
    };
    // `measuring.alone()`: measuring, and timing too, so it waits for the others to finish
    const measuring = Object.assign(() => void site.measuring(), {
      alone: () => {
        site.measuring();
        return site.alone?.(lifetime.signal) ?? Promise.resolve(() => {});
      },
    });
    const perRun: Record<PerRunName, unknown> = {
      signal: lifetime.signal,
      own: lifetime.own,
      fit,
      measuring,
    };
    let next = 0;
    const callArgs = inputs.map((name) =>
      supplied.has(name) ? perRun[name as PerRunName] : borrowed[next++],
    );
    const settle = (value: unknown) => {
      lifetime.adopt(value);
      const gated = gateValue(
        value,
        site.gate,
        (name, v) => lifetime.yielded(name, v),
        () => site.ended(),
      );
      site.generating(gated !== value);
      if (gated === value) site.ended();
      return gated;
    };
    let result: unknown;
    try {
      if (site.track) {
        const tracked = site.track(() => body.apply(this, callArgs));
        lifetime.own(tracked.made);
        result = tracked.value;
      } else {
        result = body.apply(this, callArgs);
      }
    } catch (error) {
      site.ended();
      if (site.releaseWhenSettled) lifetime.end();
      throw toError(error);
    }
    const done = site.releaseWhenSettled ? () => lifetime.end() : () => {};
    if (isThenable(result)) {
      return Promise.resolve(result)
        .then(settle, (error: unknown) => {
          site.ended();
          throw toError(error);
        })
        .finally(done);
    }
    try {
      return settle(result);
    } finally {
      done();
    }
  };
  return { body: wrapped as VariableDefinition, inputs: runtimeInputs };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
