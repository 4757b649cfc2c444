/**
 * Wraps a transpiled cell body with what the engine adds to every cell: thrown values made
 * Errors, generators gated by the cell's visibility, and the tensors and models the
 * cell returns disposed when it re-runs or is torn down.
 */
import type { VariableDefinition } from "@observablehq/runtime";
import { toError } from "./errors.ts";
import { gateValue, type Gate } from "./gate.ts";
import { disposeOwned } from "./values.ts";

type Body = (...args: unknown[]) => unknown;

export interface WrappedBody {
  body: VariableDefinition;
  inputs: string[];
}

export function wrapBody(body: Body, inputs: string[], gate: Gate): WrappedBody {
  // The runtime passes `invalidation` only to cells that ask for it; every cell needs it here.
  const own = inputs.indexOf("invalidation");
  const wrappedInputs = own >= 0 ? inputs : [...inputs, "invalidation"];
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const invalidation = args[own >= 0 ? own : args.length - 1] as Promise<void>;
    const callArgs = own >= 0 ? args : args.slice(0, -1);
    let result: unknown;
    try {
      result = body.apply(this, callArgs);
    } catch (error) {
      throw toError(error);
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (value) => adopt(value, callArgs, invalidation, gate),
        (error: unknown) => {
          throw toError(error);
        },
      );
    }
    return adopt(result, callArgs, invalidation, gate);
  };
  return { body: wrapped as VariableDefinition, inputs: wrappedInputs };
}

function adopt(value: unknown, args: unknown[], invalidation: Promise<void>, gate: Gate): unknown {
  void invalidation.then(() => disposeOwned(value, args));
  return gateValue(value, gate);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
