/**
 * Compiling a cell in the browser, for code edited by a reader: the same transpiler as the
 * build, with the body turned into a function here (the build splices it into a module instead)
 * and the same helpers in its scope that a built module imports (see CELL_HELPERS).
 */
import { transpileCell } from "../compiler/transpile-cell.ts";
import type { LoadedCell } from "./host.ts";

type Body = NonNullable<LoadedCell["body"]>;

/** The helpers compiled bodies call by reserved names: the loop guard and the module table. */
export type CellHelpers = Record<string, unknown>;

/** Makes a function of a transpiled body, with `helpers` in its scope. */
export function instantiateBody(body: string, helpers: CellHelpers): Body {
  const names = Object.keys(helpers);
  // The source comes from the transpiler, which only emits bodies that parsed.
  const make = new Function(...names, `return (${body});`) as (...values: unknown[]) => Body;
  return make(...names.map((name) => helpers[name]));
}

export interface CellCompiler {
  /**
   * A reader's source for a cell, compiled to run in its place: it keeps what the author said
   * the cell is (its id, inline or not, echo, the exercise it is or checks).
   */
  compileEdit(key: string, authored: LoadedCell, source: string): LoadedCell;
}

export function createCellCompiler(helpers: CellHelpers): CellCompiler {
  return {
    compileEdit(key, authored, source) {
      const { body, ...spec } = transpileCell(source, {
        id: authored.id,
        inline: authored.inline,
        echo: authored.echo,
        key,
      });
      return {
        ...spec,
        ...(body !== undefined && { body: instantiateBody(body, helpers) }),
        ...(authored.exercise && { exercise: authored.exercise }),
        ...(authored.checks !== undefined && { checks: authored.checks }),
      };
    },
  };
}
