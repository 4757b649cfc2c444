import type { Frame } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAllReady,
  gotoAndSettle,
  openSession,
  settle,
  siteUrl,
  type Session,
} from "./browser.ts";
import { pressOnDeck, reachSlideWithCell } from "./deck.ts";
import { DECKS, deckPath } from "./site.ts";

const PREVIEW_FRAMES = 2;

interface PreviewState {
  url: string;
  liveCells: number;
  hookCells: number;
  numTensors: number;
  backend: string;
}

function previewState(frame: Frame): Promise<PreviewState> {
  return frame.evaluate(async () => {
    await window.flowdeck.ready;
    await window.flowdeck.settled();
    return {
      url: location.href,
      liveCells: document.querySelectorAll("[data-cell]").length,
      hookCells: window.flowdeck.cells().length,
      numTensors: window.flowdeck.memory().numTensors,
      backend: window.flowdeck.backend(),
    };
  });
}

describe("speaker view", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it.each(DECKS)(
    "%s: opens on S; its preview frames show the slides without running the cells again",
    async (deck) => {
      const { page } = session;
      // Start on a slide with a live cell, so that a preview would have something to run.
      await gotoAndSettle(page, siteUrl(deckPath(deck)));
      await reachSlideWithCell(page);
      const liveHere = await page.locator("[data-cell]").count();

      const [speaker] = await Promise.all([page.waitForEvent("popup"), pressOnDeck(page, "s")]);
      const previews = () => speaker.frames().filter((frame) => /[?&]receiver/.test(frame.url()));
      await expect.poll(() => previews().length, { timeout: 30_000 }).toBe(PREVIEW_FRAMES);
      for (const frame of previews()) {
        await frame.waitForFunction(() => "flowdeck" in window, undefined, {
          timeout: 60_000,
          polling: 50,
        });
      }
      const states = await Promise.all(previews().map(previewState));
      for (const state of states) {
        expect(state, `preview ${state.url}`).toMatchObject({
          liveCells: 0,
          hookCells: 0,
          numTensors: 0,
        });
      }
      // The previews show a placeholder where the main screen runs a cell.
      const placeholders = await Promise.all(
        previews().map((frame) => frame.locator("[data-slot]").count()),
      );
      expect(placeholders.every((n) => n > 0)).toBe(true);

      await settle(page);
      expect(liveHere, "the main deck shows live cells").toBeGreaterThan(0);
      await expectAllReady(page, "on the main deck with the speaker view open");
      // Reveal opens the speaker view in a named window: left open, the next deck's S would
      // reuse it instead of opening a new one.
      await speaker.close();
    },
  );
});
