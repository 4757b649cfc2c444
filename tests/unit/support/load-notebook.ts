/** Compiles a notebook the way the Vite plugin does and turns its bodies into functions. */
import { compileNotebook } from "../../../src/notebook/parse-notebook.ts";
import { instantiateBody } from "../../../src/runtime/live-compile.ts";
import type { LoadedNotebook } from "../../../src/runtime/notebook-host.ts";

export function loadNotebook(name: string, markdown: string): LoadedNotebook {
  const { notebook } = compileNotebook(name, markdown);
  return {
    ...notebook,
    cells: notebook.cells.map(({ body, ...rest }) =>
      body === undefined ? rest : { ...rest, body: instantiateBody(body) },
    ),
  };
}
