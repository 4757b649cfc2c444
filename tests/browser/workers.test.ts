/**
 * No worker outlives its slide. Every `Worker` the page starts is recorded with the notebooks
 * whose cells the present slide shows; going through each deck with the keyboard, once a slide
 * shows none of those notebooks' cells, the worker must have been terminated soon after (the
 * engine suspends what a cell owns a second after it is no longer shown). A worker may outlive
 * its slide while the next one shows the same topic: the matrix benchmark feeds two slides.
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
  /** the notebooks of the cells on that slide */
  notebooks: string[];
  ended: boolean;
}

declare global {
  interface Window {
    __workers?: StartedWorker[];
  }
}

/** Live workers started for notebooks of which the present slide shows no cell. */
function strayWorkers(page: Page): Promise<StartedWorker[]> {
  return page.evaluate(() => {
    const present = document.querySelector(".reveal .slides section.present:not(.stack)");
    const shown = new Set(
      Array.from(
        present?.querySelectorAll("[data-slot]") ?? [],
        (slot) => (slot.getAttribute("data-slot") ?? "").split("/")[0],
      ),
    );
    return (window.__workers ?? []).filter(
      (w) => !w.ended && !w.notebooks.some((n) => shown.has(n)),
    );
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
            notebooks: Array.from(
              section?.querySelectorAll("[data-slot]") ?? [],
              (slot) => (slot.getAttribute("data-slot") ?? "").split("/")[0]!,
            ),
            ended: false,
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
