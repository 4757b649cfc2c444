/** Driving the reveal.js deck with the keyboard, the way a presenter does. */
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { settle } from "./browser.ts";

export const DECK_SOURCE = new URL("../../slides/talk.md", import.meta.url);

export interface SlidePosition {
  /** index of the present slide among the leaf slides (sections without sections inside) */
  leaf: number;
  /** number of leaf slides in the DOM */
  total: number;
  /** fragments of the present slide not yet shown */
  hiddenFragments: number;
  /** fragments of the present slide shown */
  shownFragments: number;
  /** reveal's `#/h/v` address of the present slide */
  at: string;
}

export function slidePosition(page: Page): Promise<SlidePosition> {
  return page.evaluate(() => {
    // Leaf slides: a stack (`section.stack`) only groups them, and print view empties stacks.
    const leaves = Array.from(
      document.querySelectorAll<HTMLElement>(".reveal .slides section:not(.stack)"),
    ).filter((section) => !section.querySelector("section"));
    const present = leaves.findIndex((section) => section.classList.contains("present"));
    const slide = leaves[present];
    const stack = slide?.parentElement?.closest("section");
    const top = Array.from(document.querySelectorAll(".reveal .slides > section"));
    const h = slide ? top.indexOf(stack ?? slide) : -1;
    const v =
      stack && slide ? Array.from(stack.querySelectorAll(":scope > section")).indexOf(slide) : 0;
    return {
      leaf: present,
      total: leaves.length,
      hiddenFragments: slide?.querySelectorAll(".fragment:not(.visible)").length ?? 0,
      shownFragments: slide?.querySelectorAll(".fragment.visible").length ?? 0,
      at: slide ? `#/${h}/${v}` : "",
    };
  });
}

/** Presses a key on the deck itself, not on whatever control last took the focus. */
export async function pressOnDeck(page: Page, key: string): Promise<void> {
  await page.evaluate(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body) active.blur();
  });
  await page.keyboard.press(key);
}

/** The present leaf slide (not the stack around it). */
export const PRESENT_SLIDE = ".reveal .slides section.present:not(.stack)";

export async function leafSlideCount(page: Page): Promise<number> {
  return (await slidePosition(page)).total;
}

export interface Traversal {
  /** leaf slide indices visited, in order */
  visited: number[];
  total: number;
}

export interface TraverseOptions {
  /** called on each newly shown slide once the page has settled */
  onSlide?: (position: SlidePosition) => Promise<void>;
  /** stop early once this says so (checked after each slide) */
  until?: () => Promise<boolean>;
}

/**
 * From the first slide, presses "n" (reveal's next: fragments, vertical slides, then the next
 * stack) until the last fragment of the last slide, settling after every step.
 */
export async function traverseDeck(page: Page, options: TraverseOptions = {}): Promise<Traversal> {
  await pressOnDeck(page, "Home");
  await settle(page);
  let position = await slidePosition(page);
  if (position.leaf < 0) throw new Error(`No present slide after Home (${page.url()})`);
  const visited = [position.leaf];
  await options.onSlide?.(position);
  const maxSteps = position.total * 20 + 20;
  for (let step = 0; step < maxSteps; step++) {
    if (await options.until?.()) break;
    const atEnd = position.leaf === position.total - 1 && position.hiddenFragments === 0;
    if (atEnd) break;
    const before = position;
    await pressOnDeck(page, "n");
    await settle(page);
    position = await slidePosition(page);
    const moved =
      position.leaf !== before.leaf || position.shownFragments !== before.shownFragments;
    if (!moved) {
      throw new Error(
        `"n" did not advance the deck at slide ${before.leaf + 1}/${before.total} (${before.at})`,
      );
    }
    if (position.leaf !== before.leaf) {
      visited.push(position.leaf);
      await options.onSlide?.(position);
    }
  }
  return { visited, total: position.total };
}

/** The numbers N of the `<!-- seed N -->` markers in the deck's source. */
export async function seedMarkers(): Promise<number[]> {
  const source = await readFile(DECK_SOURCE, "utf8");
  return Array.from(source.matchAll(/<!--\s*seed\s+(\d+)\s*-->/g), (m) => Number(m[1]));
}

/** Goes through the deck until some cell has loaded TensorFlow.js; returns its backend. */
export async function reachTensorFlow(page: Page): Promise<string> {
  const active = () => page.evaluate(() => window.flowdeck.backend());
  await traverseDeck(page, { until: async () => (await active()) !== "" });
  return active();
}

/** Goes forward from the first slide to the first one that embeds a live cell. */
export async function reachSlideWithCell(page: Page): Promise<void> {
  const cellsHere = () => page.locator(`${PRESENT_SLIDE} [data-slot]`).count();
  await traverseDeck(page, { until: async () => (await cellsHere()) > 0 });
  if ((await cellsHere()) === 0) throw new Error("No slide of the deck embeds a cell");
}
