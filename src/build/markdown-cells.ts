import type MarkdownIt from "markdown-it";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type Token from "markdown-it/lib/token.mjs";
import { CELL_ID } from "./cell-ids.ts";
import { escapeHtml } from "../compiler/html.ts";

/** Where a cell's output goes in the rendered HTML. */
export interface Slot {
  /** `data-slot`: the cell's key, `notebook/cell` */
  slot: string;
  /** `data-code`, written only when set (decks) */
  code?: boolean;
}

/** A cell found in the Markdown, before it has an id. */
export interface CellDraft {
  inline: boolean;
  source: string;
  echo: boolean;
  /** the author's valid `id=` */
  requested?: string;
  /** `exercise`: the reader is to complete this cell */
  exercise?: boolean;
  /** `check=<exercise id>`: this cell checks that exercise */
  checks?: string;
  /** 1-based line and 0-based column in the Markdown file of the source's first character */
  line: number;
  column: number;
  token: Token;
}

/** Something wrong with a fence's options; the cell still runs. */
export interface DraftProblem {
  line: number;
  message: string;
}

const INLINE_CELL = "fd_inline_cell";
const BLOCK_CELL = "fd_cell";
/** tokens taken out of the prose (hints and solutions, shown by the exercise instead) */
export const HIDDEN = "fd_hidden";

/**
 * markdown-it plugin: `${expr}` in prose becomes an inline cell token (code spans and code blocks
 * are never scanned, `\${` stays literal), and cell tokens render as empty slot elements.
 */
export function markdownCells(md: MarkdownIt): void {
  // Before KaTeX so that `${x}` is a cell rather than the start of `$…$` maths.
  md.inline.ruler.after("escape", INLINE_CELL, inlineCellRule);
  md.renderer.rules[INLINE_CELL] = (tokens, idx) => renderSlot("span", tokens[idx]!);
  md.renderer.rules[BLOCK_CELL] = (tokens, idx) => renderSlot("div", tokens[idx]!) + "\n";
  md.renderer.rules[HIDDEN] = () => "";
}

function renderSlot(tag: "span" | "div", token: Token): string {
  const slot = token.meta as Slot | null;
  if (!slot) return "";
  const code = slot.code === undefined ? "" : ` data-code="${slot.code}"`;
  return `<${tag} class="fd-slot" data-slot="${escapeHtml(slot.slot)}"${code}></${tag}>`;
}

function inlineCellRule(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (state.src.charCodeAt(start) !== 0x24 /* $ */ || state.src.charCodeAt(start + 1) !== 0x7b) {
    return false;
  }
  const close = skipExpression(state.src, start + 2, state.posMax);
  if (close < 0) return false;
  if (!silent) {
    const token = state.push(INLINE_CELL, "span", 0);
    token.content = state.src.slice(start + 2, close);
    token.meta = { offset: start };
  }
  state.pos = close + 1;
  return true;
}

/** Index of the `}` closing an expression that starts at `i`, skipping strings and templates. */
function skipExpression(src: string, i: number, end: number): number {
  let depth = 0;
  while (i < end) {
    const c = src[i];
    if (c === '"' || c === "'") {
      i = skipString(src, i + 1, end, c);
      if (i < 0) return -1;
      continue;
    }
    if (c === "`") {
      i = skipTemplate(src, i + 1, end);
      if (i < 0) return -1;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && depth-- === 0) return i;
    i++;
  }
  return -1;
}

function skipString(src: string, i: number, end: number, quote: string): number {
  while (i < end) {
    const c = src[i];
    if (c === "\\") i += 2;
    else if (c === quote) return i + 1;
    else if (c === "\n") return -1;
    else i++;
  }
  return -1;
}

function skipTemplate(src: string, i: number, end: number): number {
  while (i < end) {
    const c = src[i];
    if (c === "\\") i += 2;
    else if (c === "`") return i + 1;
    else if (c === "$" && src[i + 1] === "{") {
      const close = skipExpression(src, i + 2, end);
      if (close < 0) return -1;
      i = close + 1;
    } else i++;
  }
  return -1;
}

export interface FenceOptions {
  run: boolean;
  echo: boolean;
  id?: string;
  exercise?: boolean;
  checks?: string;
  problems: string[];
}

/** Reads the options of a fence whose info string starts with `js`; undefined for other fences. */
export function readFenceOptions(info: string): FenceOptions | undefined {
  const [language, ...words] = info.trim().split(/\s+/);
  if (language !== "js") return undefined;
  const options: FenceOptions = { run: true, echo: false, problems: [] };
  for (const word of words) {
    const [key, value] = word.split(/=(.*)/s) as [string, string | undefined];
    if (key === "id" && value !== undefined && CELL_ID.test(value)) options.id = value;
    else if (key === "id") options.problems.push(`Invalid cell id "${value ?? ""}" (ignored)`);
    else if (key === "echo" && (value === undefined || value === "true")) options.echo = true;
    else if (key === "echo" && value === "false") options.echo = false;
    else if (key === "run" && value === "false") options.run = false;
    else if (key === "run" && value === "true") options.run = true;
    else if (key === "exercise" && value === undefined) options.exercise = true;
    else if (key === "check" && value !== undefined && CELL_ID.test(value)) options.checks = value;
    else options.problems.push(`Unknown cell option "${word}" (ignored)`);
  }
  return options;
}

/**
 * Finds the cells in parsed tokens, in document order, with their position in the file.
 * `lines` are the file's lines and `lineOffset` the file line (0-based) of the parsed text's
 * first line, so that a slide parsed on its own still reports file positions.
 */
export function findCells(
  tokens: Token[],
  lines: readonly string[],
  lineOffset: number,
): { drafts: CellDraft[]; problems: DraftProblem[] } {
  const drafts: CellDraft[] = [];
  const problems: DraftProblem[] = [];
  let blockLine = 0;
  for (const token of tokens) {
    if (token.map) blockLine = token.map[0] + lineOffset;
    if (token.type === "fence") {
      const options = readFenceOptions(token.info);
      if (!options) continue;
      for (const message of options.problems) problems.push({ line: blockLine + 1, message });
      if (!options.run) continue;
      const fenceLine = lines[blockLine] ?? "";
      drafts.push({
        inline: false,
        source: token.content.replace(/\n$/, ""),
        echo: options.echo,
        ...(options.id !== undefined && { requested: options.id }),
        ...(options.exercise && { exercise: true }),
        ...(options.checks !== undefined && { checks: options.checks }),
        line: blockLine + 2,
        column: Math.max(0, fenceLine.indexOf(token.markup)),
        token,
      });
    } else if (token.type === "inline" && token.children) {
      for (const child of token.children) {
        if (child.type !== INLINE_CELL) continue;
        const { offset } = child.meta as { offset: number };
        const line = blockLine + countNewlines(token.content.slice(0, offset));
        const firstLine = child.content.split("\n")[0] ?? "";
        const found = (lines[line] ?? "").indexOf("${" + firstLine);
        drafts.push({
          inline: true,
          source: child.content,
          echo: false,
          line: line + 1,
          column: found < 0 ? 0 : found + 2,
          token: child,
        });
      }
    }
  }
  return { drafts, problems };
}

/** Turns a found cell into its slot in the rendered HTML. */
export function placeSlot(draft: CellDraft, slot: Slot): void {
  if (!draft.inline) draft.token.type = BLOCK_CELL;
  draft.token.meta = slot;
}

/** Maps a position in a cell's source (1-based, as in SourceError) to the Markdown file. */
export function filePosition(
  draft: CellDraft,
  error: { line: number; column: number },
): { line: number; column: number } {
  return {
    line: draft.line + error.line - 1,
    column: error.line === 1 || !draft.inline ? draft.column + error.column : error.column,
  };
}

function countNewlines(text: string): number {
  let n = 0;
  for (const c of text) if (c === "\n") n++;
  return n;
}
