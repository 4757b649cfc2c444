import { LOOP_GUARD, MODULE_IMPORT } from "../compiler/reserved-names.ts";
import type { CellSpec, DeckSpec, NotebookSpec } from "../compiler/types.ts";

/**
 * The helpers that compiled bodies call by a reserved name, and where a module finds them: the
 * loop guard (loop-guards.ts) and the module table (module-imports.ts). A reader's edit gets the
 * same two from the page when it is compiled in the browser.
 */
export const CELL_HELPERS = [
  { name: LOOP_GUARD, exported: "loopGuard", from: "/src/runtime/loop-guard.ts" },
  { name: MODULE_IMPORT, exported: "importModule", from: "/src/lib/registry.ts" },
] as const;

function helperImports(spec: NotebookSpec): string {
  return CELL_HELPERS.filter(({ name }) => spec.cells.some((cell) => cell.body?.includes(name)))
    .map(({ name, exported, from }) => `import { ${exported} as ${name} } from ${json(from)};\n`)
    .join("");
}

/**
 * The ES module the browser imports for a notebook: the spec as data, except that each cell's
 * `body` is the transpiled function itself rather than a string, so nothing is eval'd at runtime.
 */
export function emitNotebookModule(spec: NotebookSpec): string {
  return `${helperImports(spec)}export default ${notebookLiteral(spec, "")};\n`;
}

/**
 * The ES module for a deck. Embedded notebooks are loaded lazily through `loaders` (one dynamic
 * import each, at `importPath(notebook)`); the deck's own notebook is inlined as `own`.
 */
export function emitDeckModule(spec: DeckSpec, importPath: (notebook: string) => string): string {
  const loaders = spec.notebooks
    .filter((notebook) => notebook !== spec.own.name)
    .map((notebook) => `  ${json(notebook)}: () => import(${json(importPath(notebook))}),\n`)
    .join("");
  return (
    helperImports(spec.own) +
    `export default {\n` +
    `  name: ${json(spec.name)},\n` +
    `  title: ${json(spec.title)},\n` +
    `  html: ${json(spec.html)},\n` +
    `  notebooks: ${json(spec.notebooks)},\n` +
    `  own: ${notebookLiteral(spec.own, "  ")},\n` +
    `};\n` +
    `export const loaders = {\n${loaders}};\n`
  );
}

function notebookLiteral(spec: NotebookSpec, indent: string): string {
  const cells = spec.cells.map((cell) => `${indent}    ${cellLiteral(cell, `${indent}    `)},\n`);
  return (
    `{\n` +
    `${indent}  name: ${json(spec.name)},\n` +
    `${indent}  title: ${json(spec.title)},\n` +
    `${indent}  html: ${json(spec.html)},\n` +
    `${indent}  cells: [\n${cells.join("")}${indent}  ],\n` +
    `${indent}}`
  );
}

function cellLiteral(cell: CellSpec, indent: string): string {
  const fields = Object.entries(cell)
    .filter(([, value]) => value !== undefined)
    // The body was produced by the transpiler from source that parsed, so it is a complete
    // function expression and safe to splice in as code.
    .map(([key, value]) => `${indent}  ${key}: ${key === "body" ? String(value) : json(value)},\n`);
  return `{\n${fields.join("")}${indent}}`;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}
