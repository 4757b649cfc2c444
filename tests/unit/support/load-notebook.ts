/** Compiles notebooks and cells the way the build and the browser do, for tests in Node. */
import { LOOP_GUARD, MODULE_IMPORT } from "../../../src/compiler/reserved-names.ts";
import { transpileCell } from "../../../src/compiler/transpile-cell.ts";
import { compileNotebook } from "../../../src/build/parse-notebook.ts";
import { importModule } from "../../../src/lib/registry.ts";
import type { LoadedCell, LoadedNotebook } from "../../../src/runtime/host.ts";
import { instantiateBody } from "../../../src/runtime/live-compile.ts";
import { loopGuard } from "../../../src/runtime/loop-guard.ts";

export const CELL_HELPERS = { [LOOP_GUARD]: loopGuard, [MODULE_IMPORT]: importModule };

export function loadNotebook(name: string, markdown: string): LoadedNotebook {
  const { notebook } = compileNotebook(name, markdown);
  return {
    ...notebook,
    cells: notebook.cells.map(({ body, ...rest }) =>
      body === undefined ? rest : { ...rest, body: instantiateBody(body, CELL_HELPERS) },
    ),
  };
}

/** One cell compiled from source, as a reader's edit would be. */
export function compileSource(source: string, id = "cell"): LoadedCell {
  const { body, ...spec } = transpileCell(source, { id, inline: false, echo: false });
  return body === undefined ? spec : { ...spec, body: instantiateBody(body, CELL_HELPERS) };
}

export const fence = (options: string, code: string) =>
  "```js " + options + "\n" + code + "\n```\n";

/** Polls `check` until true, on a timer (never a fixed sleep). */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}
