/**
 * Every `import(…)` in a transpiled cell (Notebook Kit turns `import … from` into one) goes
 * through the page's module table instead of the network: `flowdeck/<name>` for the project's
 * shared modules and the bundled libraries by their package names. The same rewrite runs at
 * build time and for a reader's edit in the browser, so both resolve the same names, offline.
 */
import { parse } from "acorn";
import { simple } from "acorn-walk";
import { MODULE_IMPORT } from "./reserved-names.ts";

/** `body` is a function expression as Notebook Kit's transpiler produces it. */
export function rewriteImports(body: string): string {
  const wrapped = `(${body})`;
  const program = parse(wrapped, { ecmaVersion: "latest", sourceType: "module" });
  const starts: number[] = [];
  simple(program, {
    ImportExpression(node) {
      starts.push(node.start);
    },
  });
  if (!starts.length) return body;
  let out = wrapped;
  // `import(` is six characters wherever it sits: replace the keyword, keep the argument.
  for (const at of starts.sort((a, b) => b - a)) {
    out = `${out.slice(0, at)}${MODULE_IMPORT}${out.slice(at + "import".length)}`;
  }
  return out.slice(1, -1);
}
