/** Compiles a notebook the way the Vite plugin does and turns its bodies into functions. */
import { compileNotebook } from "../../../src/notebook/parse-notebook.ts";
import type { LoadedNotebook } from "../../../src/runtime/notebook-host.ts";

export function loadNotebook(name: string, markdown: string): LoadedNotebook {
  const { notebook } = compileNotebook(name, markdown);
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      const { body, ...rest } = cell;
      // The plugin inlines bodies as code; evaluating the same source is the equivalent here.
      return body === undefined ? rest : { ...rest, body: (0, eval)(`(${body})`) as () => unknown };
    }),
  };
}
