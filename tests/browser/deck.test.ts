import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  emptySlots,
  expectNoCellErrors,
  gotoAndSettle,
  openSession,
  renderer,
  siteUrl,
  type Session,
} from "./browser.ts";
import { PRESENT_SLIDE, reachTensorFlow, seedMarkers, traverseDeck } from "./deck.ts";
import { DECKS, deckPath } from "./site.ts";

describe("the talk at /", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("has a place for each of the talk's 34 slides", async () => {
    const seeds = new Set(await seedMarkers());
    const missing = Array.from({ length: 34 }, (_, i) => i + 1).filter((n) => !seeds.has(n));
    expect(missing, "slides/talk.md lacks these <!-- seed N --> markers").toEqual([]);
  });

  it("computes on wasm by default here, saying WebGL is a software renderer (SwiftShader)", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/"));
    // TensorFlow.js loads with the first cell that needs it.
    expect(await reachTensorFlow(page)).toBe("wasm");
    expect(await renderer(page)).toMatch(/swiftshader/i);
    const indicator = page.locator(".fd-indicator");
    await expect.poll(() => indicator.getAttribute("data-backend")).toBe("wasm");
    // The visible label says there is no GPU and never passes SwiftShader off as one.
    const label = (await indicator.textContent()) ?? "";
    expect(label).toMatch(/no GPU/);
    expect(await indicator.getAttribute("title")).toMatch(/software renderer \(SwiftShader\)/);
  });
});

describe.each(DECKS)("the deck %s", (deck) => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("reaches every slide by the keyboard with no cell in error", async () => {
    const { page, problems } = session;
    await gotoAndSettle(page, siteUrl(deckPath(deck)));
    const { visited, total } = await traverseDeck(page, {
      onSlide: async (position) => {
        const where = `on slide ${position.leaf + 1}/${position.total} (${position.at})`;
        await expectNoCellErrors(page, where);
        const empty = await emptySlots(page, PRESENT_SLIDE);
        expect(empty, `cell slots left empty ${where}`).toEqual([]);
      },
    });
    expect(total).toBeGreaterThan(0);
    expect(new Set(visited).size, `visited ${visited.join(",")}`).toBe(total);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });
});
