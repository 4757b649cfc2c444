import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { framesPass, gotoAndSettle, openSession, siteUrl, type Session } from "./browser.ts";

const COUNTER = '[data-cell="selftest/counter"]';
/** Cells count as on screen within this margin (CellSlots' IntersectionObserver rootMargin). */
const MARGIN_PX = 200;

async function counterValue(page: Page): Promise<number> {
  const text = (await page.locator(`${COUNTER} .fd-output`).textContent()) ?? "";
  const value = Number.parseInt(text.trim(), 10);
  if (Number.isNaN(value)) throw new Error(`The counter shows "${text}", not a number`);
  return value;
}

/** Scrolls the page as far from the counter as it goes; fails if the counter stays near. */
async function scrollCounterAway(page: Page): Promise<void> {
  const distance = await page.evaluate(
    ({ selector, margin }) => {
      const counter = document.querySelector(selector);
      if (!counter) throw new Error(`${selector} is missing`);
      const top = counter.getBoundingClientRect().top + window.scrollY;
      const below = document.documentElement.scrollHeight - window.innerHeight;
      window.scrollTo(0, top > below / 2 ? 0 : below);
      const rect = counter.getBoundingClientRect();
      return Math.max(-rect.bottom, rect.top - window.innerHeight) - margin;
    },
    { selector: COUNTER, margin: MARGIN_PX },
  );
  expect(distance, "the counter is far enough off screen to pause").toBeGreaterThan(0);
}

describe("generators pause off screen (selftest/counter)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: { width: 1000, height: 500 } });
  });
  afterAll(() => session?.close());

  it("stops counting when scrolled away and resumes where it stopped", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/notebook.html?n=selftest"));
    await page.locator(COUNTER).scrollIntoViewIfNeeded();
    // Counting while on screen, far enough that a restart from 0 would show.
    await expect.poll(() => counterValue(page), { timeout: 20_000 }).toBeGreaterThan(30);

    await scrollCounterAway(page);
    // The observer reports, and a value already asked for may still land: then it holds.
    await framesPass(page, 10);
    const paused = await counterValue(page);
    await framesPass(page, 60); // counting, it would have counted 60 more
    expect(await counterValue(page), "the counter kept counting off screen").toBe(paused);

    await page.locator(COUNTER).scrollIntoViewIfNeeded();
    await expect.poll(() => counterValue(page), { timeout: 20_000, interval: 20 }).not.toBe(paused);
    const resumed = await counterValue(page);
    expect(resumed, "resumed from where it stopped, not from 0").toBeGreaterThan(paused);
  });
});
