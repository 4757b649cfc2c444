/**
 * What a slide's cells will need, found from their compiled specs without running any of them:
 * the built-ins they (and the cells they depend on) use and the modules they import. The deck
 * loads these while a slide is idle, so that arriving on the next one runs cells instead of
 * parsing a megabyte of TensorFlow.js.
 */
import type { NotebookSpec } from "../compiler/types.ts";
import { neededCells } from "../runtime/needed-cells.ts";

/** Built-ins worth loading ahead: each is a module of its own (`tf` also starts a backend). */
export const WARMABLE_BUILTINS = ["tf", "d3", "Plot", "Inputs", "htl", "html", "svg", "tex", "md"];

export interface Needs {
  builtins: string[];
  /** `flowdeck/<name>` and bundled packages, as written in `import(…)` */
  modules: string[];
}

const IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The needs of `cells` of `spec` and of every cell of the notebook they depend on. */
export function needsOf(spec: Pick<NotebookSpec<unknown>, "cells">, cells: string[]): Needs {
  const defined = new Set(
    spec.cells.flatMap((c) => [...c.outputs, ...(c.output ? [c.output] : [])]),
  );
  // `viewof x` and `mutable x` are read through the cell that defines x
  const name = (input: string) =>
    defined.has(input) ? input : input.replace(/^viewof |^mutable /, "");
  const needed = neededCells(
    spec.cells.map((c) => ({
      id: c.id,
      inputs: c.inputs.map(name),
      outputs: [...c.outputs, ...(c.output ? [c.output] : [])],
      active: cells.includes(c.id),
    })),
  );
  const builtins = new Set<string>();
  const modules = new Set<string>();
  for (const cell of spec.cells.filter((c) => needed.has(c.id))) {
    for (const match of cell.source.matchAll(IMPORT)) modules.add(match[1]!);
    for (const input of cell.inputs)
      if (!defined.has(name(input)) && WARMABLE_BUILTINS.includes(input)) builtins.add(input);
  }
  return { builtins: [...builtins], modules: [...modules] };
}
