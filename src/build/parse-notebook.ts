import type MarkdownIt from "markdown-it";
import { cellKey } from "../compiler/cell-key.ts";
import { compileCells } from "./compile-cells.ts";
import { attachExercises, takeExerciseParts } from "./exercises.ts";
import { readFrontMatter } from "./front-matter.ts";
import { createMarkdown } from "./markdown.ts";
import { findCells, markdownCells } from "./markdown-cells.ts";
import { firstHeading } from "./title.ts";
import type { CompileWarning, NotebookSpec } from "../compiler/types.ts";

let markdown: MarkdownIt | undefined;

// One configured instance, created on first use rather than at import time.
function notebookMarkdown(): MarkdownIt {
  return (markdown ??= createMarkdown().use(markdownCells));
}

/**
 * Compiles `notebooks/<name>.md`: prose to HTML with a slot where each cell goes, and the cells
 * transpiled. Author mistakes become warnings (and error cells), never exceptions.
 */
export function compileNotebook(
  name: string,
  source: string,
  file = `notebooks/${name}.md`,
): { notebook: NotebookSpec; warnings: CompileWarning[] } {
  const md = notebookMarkdown();
  const { attributes, body } = readFrontMatter(source);
  const env = {};
  const tokens = md.parse(body, env);
  const parts = takeExerciseParts(tokens, md);
  const { drafts, problems } = findCells(tokens, body.split("\n"), 0);
  const { cells, warnings } = compileCells(drafts, problems, file, (id) => ({
    slot: cellKey(name, id),
  }));
  for (const { line, message } of attachExercises(cells, drafts, parts)) {
    warnings.push({ file, line, column: 1, message });
  }
  const html = md.renderer.render(tokens, md.options, env);
  const title = attributes.title || firstHeading(tokens) || name;
  return { notebook: { name, title, html, cells }, warnings };
}
