import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { deckNotebookName } from "../compiler/catalog.ts";
import { cellKey } from "../compiler/cell-key.ts";
import { compileCells } from "./compile-cells.ts";
import { attachExercises, takeExerciseParts, type ExerciseParts } from "./exercises.ts";
import { readFrontMatter } from "./front-matter.ts";
import { applyRevealComments, setAttributes } from "./html-attributes.ts";
import { createMarkdown } from "./markdown.ts";
import { findCells, markdownCells } from "./markdown-cells.ts";
import type { CellDraft, DraftProblem } from "./markdown-cells.ts";
import { markdownEmbeds } from "./markdown-embeds.ts";
import type { EmbedEnv } from "./markdown-embeds.ts";
import { splitSlides } from "./split-slides.ts";
import type { SlideSource } from "./split-slides.ts";
import { firstHeading } from "./title.ts";
import type { CompileWarning, DeckSpec } from "../compiler/types.ts";

let slideMarkdown: MarkdownIt | undefined;
let notesMarkdown: MarkdownIt | undefined;

// Created on first use rather than at import time. Notes are plain Markdown: no cells, no embeds.
const slideParser = () =>
  (slideMarkdown ??= createMarkdown().use(markdownCells).use(markdownEmbeds));
const notesParser = () => (notesMarkdown ??= createMarkdown());

interface ParsedSlide {
  source: SlideSource;
  tokens: Token[];
  env: EmbedEnv;
}

/**
 * Compiles `slides/<name>.md` into reveal.js markup (`<section>`s, notes, slots for embedded and
 * own cells). Author mistakes become warnings (and error cells), never exceptions.
 */
export function compileDeck(
  name: string,
  source: string,
  file = `slides/${name}.md`,
): { deck: DeckSpec; warnings: CompileWarning[]; slideOf: Record<string, string> } {
  const md = slideParser();
  const own = deckNotebookName(name);
  const { attributes, body } = readFrontMatter(source);
  const lines = body.split("\n");

  const drafts: CellDraft[] = [];
  const problems: DraftProblem[] = [];
  const parts: ExerciseParts = { hints: [], solutions: [] };
  const stacks = splitSlides(body).map((stack) =>
    stack.map((slide): ParsedSlide => {
      const env: EmbedEnv = {};
      const tokens = md.parse(slide.content.text, env);
      // An exercise among the deck's own cells: its hints and solution, taken out of the slide.
      const taken = takeExerciseParts(tokens, md, slide.content.startLine);
      parts.hints.push(...taken.hints);
      parts.solutions.push(...taken.solutions);
      const found = findCells(tokens, lines, slide.content.startLine);
      drafts.push(...found.drafts);
      problems.push(...found.problems);
      for (const [line, message] of env.malformedEmbeds ?? []) {
        problems.push({ line: line + slide.content.startLine + 1, message });
      }
      return { source: slide, tokens, env };
    }),
  );

  const { cells, warnings } = compileCells(drafts, problems, file, (id, draft) => ({
    slot: cellKey(own, id),
    code: draft.echo,
  }));
  for (const { line, message } of attachExercises(cells, drafts, parts)) {
    warnings.push({ file, line, column: 1, message });
  }

  // Where each cell is shown, as reveal.js's hash for its slide (`#/2` or `#/2/1` in a stack).
  const slideOf: Record<string, string> = {};
  const html = stacks
    .map((stack, h) => {
      const slides = stack.map((slide, v) => {
        const rendered = renderSlide(md, slide);
        for (const [, key] of rendered.matchAll(/\bdata-slot="([^"]+)"/g)) {
          slideOf[key!] ??= stack.length === 1 ? `#/${h}` : `#/${h}/${v}`;
        }
        return rendered;
      });
      return slides.length === 1 ? slides[0]! : `<section>\n${slides.join("\n")}\n</section>`;
    })
    .join("\n");

  const title =
    attributes.title ||
    stacks.flat().reduce<string | undefined>((t, s) => t ?? firstHeading(s.tokens), undefined) ||
    name;

  return {
    deck: {
      name,
      title,
      html,
      notebooks: notebooksInOrder(html),
      own: { name: own, title, html: "", cells },
    },
    warnings,
    slideOf,
  };
}

function renderSlide(md: MarkdownIt, slide: ParsedSlide): string {
  let inner = md.renderer.render(slide.tokens, md.options, slide.env);
  const notes = slide.source.notes;
  if (notes) {
    const notesHtml = notesParser().render(notes.text);
    inner += `<aside class="notes">\n${notesHtml}</aside>\n`;
  }
  const { html, slide: attributes } = applyRevealComments(inner);
  return `${setAttributes("<section>", attributes)}\n${html}</section>`;
}

/** Notebooks in first-use order, read back from the slots in the rendered slides. */
function notebooksInOrder(html: string): string[] {
  const names = Array.from(html.matchAll(/\bdata-slot="([^"/]+)\//g), (m) => m[1]!);
  return [...new Set(names)];
}
