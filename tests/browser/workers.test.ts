/**
 * No worker outlives its slide. Every `Worker` the page starts is recorded with the slide that
 * was showing when it started; going through each deck with the keyboard, every worker started
 * on an earlier slide must have been terminated soon after that slide was left (a demo may take
 * a moment to notice, e.g. the data-parallel demo suspends a second after its last frame).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gotoAndSettle, openSession, settle, siteUrl, type Session } from "./browser.ts";
import { pressOnDeck, traverseDeck } from "./deck.ts";
import { DECKS, deckPath } from "./site.ts";

interface StartedWorker {
  name: string;
  /** the present slide's heading when the worker started */
  slide: string;
  ended: boolean;
}

declare global {
  interface Window {
    __workers?: Array<StartedWorker & { section: Element | null }>;
  }
}

/** Workers started on another slide than the present one and not terminated yet. */
function strayWorkers(page: Page): Promise<StartedWorker[]> {
  return page.evaluate(() => {
    const present = document.querySelector(".reveal .slides section.present:not(.stack)");
    return (window.__workers ?? [])
      .filter((w) => !w.ended && w.section !== present)
      .map(({ name, slide, ended }) => ({ name, slide, ended }));
  });
}

function startedCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__workers?.length ?? 0);
}

describe("no worker outlives its slide", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
    await session.page.addInitScript(() => {
      const Real = window.Worker;
      const started: NonNullable<Window["__workers"]> = [];
      window.__workers = started;
      window.Worker = class extends Real {
        readonly #record;
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          const section = document.querySelector(".reveal .slides section.present:not(.stack)");
          this.#record = {
            name: options?.name ?? String(url),
            slide: section?.querySelector("h1, h2, h3")?.textContent?.trim() ?? "(no slide)",
            ended: false,
            section,
          };
          started.push(this.#record);
        }
        override terminate(): void {
          this.#record.ended = true;
          super.terminate();
        }
      };
    });
  }, 60_000);
  afterAll(() => session?.close());

  it.each(DECKS)(
    "deck %s: every worker a slide starts is terminated once the slide is left",
    async (deck) => {
      const { page } = session;
      await gotoAndSettle(page, siteUrl(deckPath(deck)));
      const check = () =>
        expect.poll(() => strayWorkers(page), { timeout: 15_000, interval: 250 }).toEqual([]);
      await traverseDeck(page, { onSlide: check });
      // the last slide's workers end too, once it is left for the first one
      await pressOnDeck(page, "Home");
      await settle(page);
      await check();
      if (deck === "talk") {
        // the talk's demos do start workers: a walk that started none checked nothing
        expect(await startedCount(page)).toBeGreaterThan(0);
      }
    },
    900_000,
  );
});
