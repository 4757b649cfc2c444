import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  gotoAndSettle,
  offOrigin,
  openSession,
  siteUrl,
  visitEverySlot,
  type Session,
} from "./browser.ts";
import { traverseDeck } from "./deck.ts";
import { DECKS, deckPath, notebookFiles } from "./site.ts";

describe("offline: the built site needs nothing but its own origin", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("requests nothing off the origin through every deck and a notebook page", async () => {
    const { page, requests } = session;
    for (const deck of DECKS) {
      await gotoAndSettle(page, siteUrl(deckPath(deck)));
      await traverseDeck(page);
    }
    const notebook = (await notebookFiles()).find((n) => n.name !== "selftest");
    expect(notebook, "a notebook other than selftest").toBeDefined();
    await gotoAndSettle(page, siteUrl(`/notebook.html?n=${notebook?.name ?? ""}`));
    await visitEverySlot(page);

    const origin = new URL(siteUrl("/")).origin;
    expect(requests.urls.length).toBeGreaterThan(0);
    expect(offOrigin(requests.urls, origin), "requests that left the origin").toEqual([]);
    expect(requests.failures, "requests that failed").toEqual([]);
  });
});
