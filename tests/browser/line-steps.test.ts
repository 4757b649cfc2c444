/**
 * Line highlights (issue 9): a slide whose embed says `lines=2|3-5|…` shows the first step's
 * band with the slide, and each press of → moves it to the next step, as reveal's fragments.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gotoAndSettle, openSession, settle, siteUrl, type Session } from "./browser.ts";
import { PRESENT_SLIDE, pressOnDeck } from "./deck.ts";
import { deckPath } from "./site.ts";

/** The lines of the band steps shown on the present slide (visible, not faded out). */
function shownSteps(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const slide = document.querySelector(selector)!;
    return Array.from(slide.querySelectorAll<HTMLElement>(".fd-line-step"))
      .filter((step) => {
        const style = getComputedStyle(step);
        return style.visibility !== "hidden" && Number(style.opacity) > 0.5;
      })
      .map((step) => step.dataset.lines ?? "");
  }, PRESENT_SLIDE);
}

describe("line highlights on a slide's code", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: { width: 1280, height: 720 } });
  });
  afterAll(() => session?.close());

  it("walks through the lines of the model's code, one step per →", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl(deckPath("talk", "transition=none")));
    const hash = await page.evaluate(() => {
      const slot = document.querySelector("[data-line-numbers]")!;
      const slide = slot.closest("section")!;
      const top = Array.from(document.querySelectorAll(".reveal .slides > section"));
      const stack = slide.parentElement!.closest("section");
      const v = stack ? Array.from(stack.querySelectorAll(":scope > section")).indexOf(slide) : 0;
      return `#/${top.indexOf(stack ?? slide)}/${v}`;
    });
    await page.evaluate((h) => (location.hash = h), hash);
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.querySelector(".fd-line-step") !== null,
      PRESENT_SLIDE,
    );
    await settle(page);
    // Fragments fade with a transition: poll until the expected band is the one shown.
    await expect.poll(() => shownSteps(page)).toEqual(["2"]);
    await pressOnDeck(page, "ArrowRight");
    await expect.poll(() => shownSteps(page)).toEqual(["3,4,5"]);
    await pressOnDeck(page, "ArrowRight");
    await expect.poll(() => shownSteps(page)).toEqual(["6"]);
    await pressOnDeck(page, "ArrowLeft");
    await expect.poll(() => shownSteps(page)).toEqual(["3,4,5"]);
    // The band covers the line it names: line 2 of the code, below line 1.
    const band = await page.evaluate((selector) => {
      const pre = document.querySelector(selector)!.querySelector<HTMLElement>("pre.fd-code")!;
      const line = parseFloat(getComputedStyle(pre).lineHeight);
      const first = pre.querySelector<HTMLElement>('.fd-line-step[data-step="1"] .fd-line-band')!;
      return { top: first.offsetTop, height: first.offsetHeight, line };
    }, PRESENT_SLIDE);
    expect(band.height).toBeCloseTo(3 * band.line, 0);
    expect(band.top).toBeGreaterThan(2 * band.line - 1);
  });
});
