import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backend,
  domCell,
  gotoAndSettle,
  memory,
  openSession,
  settle,
  siteUrl,
  visitEverySlot,
  type Session,
} from "./browser.ts";
import { traverseDeck } from "./deck.ts";
import { DECKS, deckPath } from "./site.ts";

/**
 * The page's tensors once it is at rest after a traversal: a cell of a slide just left may
 * still finish a step it had begun (a few tensors in flight for a moment), so the count is read
 * until it holds still for a second.
 */
async function tensorsAfterTraversal(page: Page): Promise<number> {
  await traverseDeck(page);
  let last = (await memory(page)).numTensors;
  for (let read = 0; read < 20; read++) {
    await page.waitForTimeout(1000);
    const now = (await memory(page)).numTensors;
    if (now === last) return now;
    last = now;
  }
  return last;
}

describe("tensor memory stays flat", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it.each(DECKS)(
    "traversing the deck %s three times leaves as many tensors as once",
    { timeout: 300_000 },
    async (deck) => {
      const { page } = session;
      await gotoAndSettle(page, siteUrl(deckPath(deck)));
      const first = await tensorsAfterTraversal(page);
      const second = await tensorsAfterTraversal(page);
      const third = await tensorsAfterTraversal(page);
      expect(await backend(page), "the deck computes with TensorFlow.js somewhere").not.toBe("");
      expect({ second, third }).toEqual({ second: first, third: first });
    },
  );

  it("a cell re-run by `width` disposes the tensor it returned (selftest/leak-check)", async () => {
    const { page } = session;
    const widths = [700, 600];
    await page.setViewportSize({ width: widths[0]!, height: 800 });
    await gotoAndSettle(page, siteUrl("/notebook.html?n=selftest"));
    await visitEverySlot(page);
    await page.locator('[data-cell="selftest/leak-check"]').scrollIntoViewIfNeeded();
    await settle(page);
    const before = (await memory(page)).numTensors;
    const outputs: string[] = [];
    for (let round = 0; round < 4; round++) {
      const width = widths[(round + 1) % 2]!;
      const previous = (await domCell(page, "selftest/leak-check")).output;
      await page.setViewportSize({ width, height: 800 });
      await expect
        .poll(async () => (await domCell(page, "selftest/leak-check")).output, {
          timeout: 10_000,
        })
        .not.toBe(previous);
      await settle(page);
      outputs.push((await domCell(page, "selftest/leak-check")).output);
    }
    expect(new Set(outputs).size, `the cell re-ran: ${outputs.join(" | ")}`).toBe(2);
    expect((await memory(page)).numTensors).toBe(before);
  });
});
