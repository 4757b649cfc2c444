/**
 * The baseline's slides: the same HTML that Flowdeck's compiler makes from slides/talk.md, with
 * every cell slot (`[data-slot]` element) taken out, so the two decks differ only in the cells.
 */
import { compileDeck } from "../../src/build/parse-deck.ts";

const SLOT_OPEN = /<([a-zA-Z][\w-]*)\b[^>]*\sdata-slot\s*=[^>]*>/g;

/** Removes every element that carries `data-slot`, with its content (nesting-aware). */
export function removeSlots(html: string): string {
  let out = "";
  let from = 0;
  SLOT_OPEN.lastIndex = 0;
  for (let open = SLOT_OPEN.exec(html); open; open = SLOT_OPEN.exec(html)) {
    const tag = open[1]!.toLowerCase();
    const end = closingEnd(html, tag, open.index + open[0].length);
    out += html.slice(from, open.index);
    from = end;
    SLOT_OPEN.lastIndex = end;
  }
  return out + html.slice(from);
}

/** Index just past the `</tag>` that closes an element whose content starts at `start`. */
function closingEnd(html: string, tag: string, start: number): number {
  const tags = new RegExp(`<(/?)${tag}\\b[^>]*>`, "gi");
  tags.lastIndex = start;
  let depth = 1;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return m.index + m[0].length;
  }
  throw new Error(`unclosed <${tag}> slot in the deck's HTML`);
}

export interface PlainSlides {
  title: string;
  html: string;
  /** how many cell slots were removed */
  removed: number;
}

export function plainSlides(markdown: string, file: string): PlainSlides {
  const { deck } = compileDeck("talk", markdown, file);
  const removed = (deck.html.match(SLOT_OPEN) ?? []).length;
  return { title: deck.title, html: removeSlots(deck.html), removed };
}
