import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  domCells,
  expectAllReady,
  unsolvedChecks,
  gotoAndSettle,
  openSession,
  siteUrl,
  visitEverySlot,
  type Session,
} from "./browser.ts";
import { DECKS, SELFTEST_FAILING, deckPath, notebookFiles } from "./site.ts";

describe("reading view and notebook pages", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it.each(DECKS)(
    "reading view of %s (?view=scroll) shows every cell's code and runs cells scrolled into view",
    async (deck) => {
      const { page, problems } = session;
      await gotoAndSettle(page, siteUrl(deckPath(deck, "view=scroll")));
      const slots = await visitEverySlot(page);
      const shown = await domCells(page);
      expect(shown.length, "every slot holds its cell").toBe(slots);
      const codeHidden = shown
        .filter((cell) => !cell.inline && !cell.codeVisible)
        .map((cell) => cell.key);
      expect(codeHidden, "cells whose code is not visible in the reading view").toEqual([]);
      // An exercise's check fails on its starting code, by design ("Not yet: …").
      await expectAllReady(page, "in the reading view", await unsolvedChecks(page));
      expect(problems.pageErrors).toEqual([]);
    },
  );

  it("every notebook page loads with its title and its cells ready", async () => {
    const { page, problems } = session;
    const notebooks = await notebookFiles();
    expect(notebooks.map((n) => n.name)).toContain("selftest");
    for (const { name, title } of notebooks) {
      await gotoAndSettle(page, siteUrl(`/notebook.html?n=${name}`));
      expect(await page.title(), `title of notebook.html?n=${name}`).toBe(title);
      await visitEverySlot(page);
      // An exercise's checks fail on its starting code, by design, and say so ("Not yet: …").
      const unsolved = await unsolvedChecks(page);
      const expectedErrors = [...(name === "selftest" ? SELFTEST_FAILING : []), ...unsolved];
      await expectAllReady(page, `on notebook.html?n=${name}`, expectedErrors);
      const failing = (await domCells(page)).filter((cell) => cell.state === "error");
      expect(failing.map((cell) => cell.key).sort()).toEqual([...expectedErrors].sort());
    }
    expect(problems.pageErrors).toEqual([]);
  });
});
