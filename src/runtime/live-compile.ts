/**
 * Compiling a cell in the browser, for code edited by a reader: the same transpiler as the
 * build, with the body turned into a function here (the build splices it into a module instead).
 */
import { LOOP_GUARD } from "../notebook/loop-guards.ts";
import { transpileCell, type CellOptions } from "../notebook/transpile-cell.ts";
import { loopGuard } from "./loop-guard.ts";
import type { LoadedCell } from "./notebook-host.ts";

type Body = NonNullable<LoadedCell["body"]>;

/** Makes a function of a transpiled body, with the loop guard in its scope. */
export function instantiateBody(body: string): Body {
  // The source comes from the transpiler, which only emits bodies that parsed.
  const make = new Function(LOOP_GUARD, `return (${body});`) as (guard: () => void) => Body;
  return make(loopGuard);
}

export function compileCell(source: string, options: CellOptions): LoadedCell {
  const { body, ...spec } = transpileCell(source, options);
  return body === undefined ? spec : { ...spec, body: instantiateBody(body) };
}
