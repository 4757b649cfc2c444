import type MarkdownIt from "markdown-it";
import type StateBlock from "markdown-it/lib/rules_block/state_block.mjs";
import type Token from "markdown-it/lib/token.mjs";
import type { CellRef } from "../compiler/types.ts";
import { escapeHtml } from "../compiler/html.ts";

const EMBED = "fd_embed";
const EMBED_LINE = /^\{\{(.*)\}\}\s*$/;
const EMBED_BODY =
  /^\s*([a-z0-9-]+)\/([A-Za-z][\w-]*)(?:\s+(code))?(?:\s+lines=([\d\s,|-]*[\d,|-]))?\s*$/;

/** Filled by the embed rule while parsing; malformed embeds are keyed by 0-based line. */
export interface EmbedEnv {
  malformedEmbeds?: Map<number, string>;
}

/**
 * markdown-it plugin for decks: a line of its own `{{ notebook/cell }}` or
 * `{{ notebook/cell code }}` becomes an empty slot `<div>` that the runtime fills;
 * `{{ notebook/cell code lines=2|3-5 }}` steps through line highlights (src/view/line-steps.ts). It may
 * interrupt a paragraph, like a fence.
 */
export function markdownEmbeds(md: MarkdownIt): void {
  md.block.ruler.before("paragraph", EMBED, embedRule, {
    alt: ["paragraph", "reference", "blockquote", "list"],
  });
  md.renderer.rules[EMBED] = (tokens, idx) => {
    const ref = tokens[idx]!.meta as CellRef;
    const slot = escapeHtml(`${ref.notebook}/${ref.cell}`);
    const lines = ref.lines ? ` data-line-numbers="${escapeHtml(ref.lines)}"` : "";
    return `<div class="fd-slot" data-slot="${slot}" data-code="${ref.code}"${lines}></div>\n`;
  };
}

function embedRule(state: StateBlock, startLine: number, _endLine: number, silent: boolean) {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const text = state.src.slice(start, state.eMarks[startLine]);
  const line = EMBED_LINE.exec(text);
  if (!line) return false;
  const ref = EMBED_BODY.exec(line[1]!);
  if (!ref) {
    const env = state.env as EmbedEnv;
    env.malformedEmbeds ??= new Map();
    env.malformedEmbeds.set(
      startLine,
      `Malformed embed "${text.trim()}": expected {{ notebook/cell }}, {{ notebook/cell code }} or {{ notebook/cell code lines=2|3-5 }}`,
    );
    return false;
  }
  if (silent) return true;
  const token = state.push(EMBED, "div", 0);
  token.map = [startLine, startLine + 1];
  token.meta = {
    notebook: ref[1]!,
    cell: ref[2]!,
    code: ref[3] !== undefined,
    ...(ref[4] ? { lines: ref[4].replace(/\s+/g, "") } : {}),
  } satisfies CellRef;
  state.line = startLine + 1;
  return true;
}

/** The embeds in parsed tokens, in document order. */
export function findEmbeds(tokens: Token[]): CellRef[] {
  return tokens.filter((t) => t.type === EMBED).map((t) => t.meta as CellRef);
}
