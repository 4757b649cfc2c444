/**
 * What a slide's cells will need, found from their compiled specs without running any of them:
 * the built-ins they (and the cells they depend on) use and the modules they import. The deck
 * loads these while a slide is idle, so that arriving on the next one runs cells instead of
 * parsing a megabyte of TensorFlow.js.
 */
import type { NotebookSpec } from "../compiler/types.ts";

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
  const definedBy = new Map<string, (typeof spec.cells)[number]>();
  for (const cell of spec.cells) {
    for (const name of [...cell.outputs, ...(cell.output ? [cell.output] : [])]) {
      definedBy.set(name, cell);
    }
  }
  const builtins = new Set<string>();
  const modules = new Set<string>();
  const seen = new Set<string>();
  const visit = (cell: (typeof spec.cells)[number] | undefined) => {
    if (!cell || seen.has(cell.id)) return;
    seen.add(cell.id);
    for (const match of cell.source.matchAll(IMPORT)) modules.add(match[1]!);
    for (const input of cell.inputs) {
      const source = definedBy.get(input) ?? definedBy.get(input.replace(/^viewof |^mutable /, ""));
      if (source) visit(source);
      else if (WARMABLE_BUILTINS.includes(input)) builtins.add(input);
    }
  };
  for (const id of cells) visit(spec.cells.find((c) => c.id === id));
  return { builtins: [...builtins], modules: [...modules] };
}
