/**
 * The bar at the top of notebook pages, as a reader uses it: "Slides" opens the talk (the site's
 * root), the notebooks come in the talk's order, and on a phone the bar leaves the first screen
 * to the notebook.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gotoAndSettle, openSession, siteUrl, type Session } from "./browser.ts";

const PAGE = "/notebook.html?n=digits";
const TALK_TITLE = "Deep Learning with Python & TensorFlow";

describe("the notebook pages' navigation", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("opens the talk from Slides and lists the notebooks in the talk's order", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl(PAGE));
    const notebooks = await page.locator("nav.fd-nav a.fd-nav-notebook").allTextContents();
    // the talk opens with deep learning 101, then the playground, then the digits
    expect(notebooks.slice(0, 3)).toEqual([
      "Deep learning 101",
      "Neural network playground",
      "From pixels to a label",
    ]);
    expect(notebooks.at(-1), "the self-test, which no deck embeds, comes last").toMatch(
      /self-test/,
    );
    await Promise.all([page.waitForURL(/index\.html$/), page.click("nav.fd-nav >> text=Slides")]);
    await page.waitForFunction(() => window.flowdeck?.ready);
    await expect
      .poll(() => page.locator(".reveal .slides h1").first().textContent())
      .toBe(TALK_TITLE);
  });

  it("on a phone shows only this notebook and a link to all of them", async () => {
    const { page } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    await gotoAndSettle(page, siteUrl(PAGE));
    const shown = await page
      .locator("nav.fd-nav a:visible")
      .evaluateAll((links) => links.map((a) => a.textContent));
    expect(shown).toContain("From pixels to a label");
    expect(shown).toContain("All notebooks");
    expect(shown).not.toContain("Deep learning 101");
    const bar = await page.locator("nav.fd-nav").boundingBox();
    expect(bar?.height ?? Infinity, "the bar takes at most a sixth of the screen").toBeLessThan(
      844 / 6,
    );
    await Promise.all([
      page.waitForURL(/notebook\.html$/),
      page.click("nav.fd-nav >> text=All notebooks"),
    ]);
    await expect.poll(() => page.locator("main h1").first().textContent()).toBe("Notebooks");
  });
});
