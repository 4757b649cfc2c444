/**
 * The deck's other ways of showing slides keep the live outputs: reveal's responsive scroll view
 * (a window under 435 px wide) turning on and off again, the overview (Escape), a jump by hash
 * to a far slide. An output counts as kept when the very element the cell draws into is in its
 * slot, once, and a new input still reaches it.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  emptySlots,
  gotoAndSettle,
  openSession,
  settle,
  siteUrl,
  type Session,
} from "./browser.ts";
import { PRESENT_SLIDE, pressOnDeck, slidePosition } from "./deck.ts";

const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 400, height: 800 };
const SLIDER = '[data-cell="tensorflow/x0"] input[type=range]';

/** reveal's `#/h/v` of the first slide holding a slot for `key`. */
function slideOf(page: Page, key: string): Promise<string> {
  return page.evaluate((key) => {
    const slide = document.querySelector(`[data-slot="${key}"]`)?.closest("section");
    if (!slide) throw new Error(`no slot for ${key}`);
    const stack = slide.parentElement?.closest("section");
    const h = Array.from(document.querySelectorAll(".reveal .slides > section")).indexOf(
      stack ?? slide,
    );
    const v = stack ? Array.from(stack.querySelectorAll(":scope > section")).indexOf(slide) : 0;
    return `#/${h}/${v}`;
  }, key);
}

/** Follows a link within the page to `#/h` or `#/h/v`; resolves once that slide is shown. */
async function jump(page: Page, hash: string): Promise<void> {
  await page.evaluate((hash) => (location.hash = hash), hash);
  const at = /^#\/\d+$/.test(hash) ? `${hash}/0` : hash;
  await expect.poll(async () => (await slidePosition(page)).at).toBe(at);
  await settle(page);
}

/**
 * A property of the element itself, not an attribute: reveal's scroll view copies the slides'
 * HTML, attributes included, and writes the copy back when it turns off.
 */
interface Marked {
  testLive?: string;
}

/** Marks the element each of these cells draws into, so that a copy of it can be told apart. */
function mark(page: Page, keys: readonly string[]): Promise<void> {
  return page.evaluate((keys) => {
    for (const key of keys) {
      const cells = document.querySelectorAll<HTMLElement>(`[data-cell="${key}"]`);
      if (cells.length !== 1) throw new Error(`${cells.length} elements for ${key}`);
      (cells[0] as unknown as Marked).testLive = key;
    }
  }, keys);
}

/** For each cell: how many elements show it in the deck, and how many of them are the marked one. */
function shown(page: Page, keys: readonly string[]): Promise<Record<string, string>> {
  return page.evaluate((keys) => {
    const out: Record<string, string> = {};
    for (const key of keys) {
      const cells = Array.from(
        document.querySelectorAll<HTMLElement>(`.reveal .slides [data-cell="${key}"]`),
      );
      const live = cells.filter((cell) => (cell as unknown as Marked).testLive === key).length;
      out[key] = `${cells.length} shown, ${live} live`;
    }
    return out;
  }, keys);
}

const chartPath = (page: Page) =>
  page.locator('[data-cell="tensorflow/grad-chart"] .fd-output').innerHTML();

const chartShown = (page: Page) =>
  page.locator('[data-cell="tensorflow/grad-chart"] .fd-output svg').count();

const isScrollView = (page: Page) =>
  page.evaluate(() => document.querySelector(".reveal-viewport.reveal-scroll") !== null);

describe("live outputs through the deck's other views", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: WIDE });
  }, 60_000);
  afterAll(() => session?.close());

  it("a window narrowed under 435 px and widened again keeps every output, live", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/"));
    const autodiff = await slideOf(page, "tensorflow/grad-chart");
    // A slide far behind (its outputs parked), then the autodiff slide.
    await jump(page, await slideOf(page, "dl101/data-chart"));
    await jump(page, autodiff);
    const keys = ["dl101/data-chart", "tensorflow/x0", "tensorflow/grad-chart"] as const;
    await expect.poll(() => chartShown(page)).toBeGreaterThan(0);
    await mark(page, keys.slice(1));
    // The far slide's cell is parked: out of the page, marked once the scroll view shows it.
    await page.evaluate(() => {
      const slot = document.querySelector<HTMLElement>('[data-slot="dl101/data-chart"]');
      if (slot?.querySelector("[data-cell]")) throw new Error("data-chart is not parked");
    });

    await page.setViewportSize(NARROW);
    await expect.poll(() => isScrollView(page)).toBe(true);
    await settle(page);
    await page.evaluate(() => {
      const cell = document.querySelector<HTMLElement>('[data-cell="dl101/data-chart"]');
      if (!cell) throw new Error("data-chart is not shown in the scroll view");
      (cell as unknown as Marked).testLive = "dl101/data-chart";
    });
    expect(await shown(page, keys)).toEqual({
      "dl101/data-chart": "1 shown, 1 live",
      "tensorflow/x0": "1 shown, 1 live",
      "tensorflow/grad-chart": "1 shown, 1 live",
    });

    await page.setViewportSize(WIDE);
    await expect.poll(() => isScrollView(page)).toBe(false);
    await settle(page);
    // reveal may now show another slide (where the scroll view's page was): nowhere is a cell
    // shown by a dead copy of its element, and the slide left shows its cells, the same ones.
    expect(await shown(page, keys)).toMatchObject({
      "tensorflow/x0": "1 shown, 1 live",
      "tensorflow/grad-chart": "1 shown, 1 live",
    });
    expect((await shown(page, keys))["dl101/data-chart"]).toMatch(/^(0 shown, 0|1 shown, 1) live$/);
    await jump(page, autodiff);
    expect(await emptySlots(page, PRESENT_SLIDE)).toEqual([]);
    expect(await shown(page, keys.slice(1))).toEqual({
      "tensorflow/x0": "1 shown, 1 live",
      "tensorflow/grad-chart": "1 shown, 1 live",
    });

    // Live: the slider still drives the chart.
    const chart = await chartPath(page);
    await page.locator(SLIDER).fill("-0.5");
    await expect.poll(() => chartPath(page)).not.toBe(chart);

    // The far slide's output comes back, the same element, when its slide is shown again.
    await jump(page, await slideOf(page, "dl101/data-chart"));
    expect(await shown(page, keys.slice(0, 1))).toEqual({ "dl101/data-chart": "1 shown, 1 live" });
    await expect
      .poll(() => page.locator('[data-cell="dl101/data-chart"]').getAttribute("data-state"))
      .toBe("ready");
  }, 120_000);

  it("in a narrow window, scrolling to a slide shows its cells there", async () => {
    const { page } = session;
    await page.setViewportSize(NARROW);
    await gotoAndSettle(page, siteUrl("/"));
    await expect.poll(() => isScrollView(page)).toBe(true);
    const slot = page.locator('[data-slot="tensorflow/grad-chart"]');
    await slot.scrollIntoViewIfNeeded();
    await expect.poll(() => chartShown(page), { timeout: 30_000 }).toBeGreaterThan(0);
    await settle(page);
    await expect
      .poll(() => page.locator('[data-cell="tensorflow/grad-chart"]').getAttribute("data-state"))
      .toBe("ready");
    await page.setViewportSize(WIDE);
  }, 120_000);

  it("the overview (Escape) shows the outputs around, and leaving it keeps them live", async () => {
    const { page } = session;
    await page.setViewportSize(WIDE);
    await gotoAndSettle(page, siteUrl("/"));
    await jump(page, await slideOf(page, "tensorflow/grad-chart"));
    await mark(page, ["tensorflow/grad-chart"]);
    await pressOnDeck(page, "Escape");
    await expect.poll(() => page.locator(".reveal.overview").count()).toBe(1);
    // The overview shows the slides near the present one: their outputs are in the page.
    await expect
      .poll(() => shown(page, ["tensorflow/grad-chart"]))
      .toEqual({ "tensorflow/grad-chart": "1 shown, 1 live" });
    await pressOnDeck(page, "Escape");
    await expect.poll(() => page.locator(".reveal.overview").count()).toBe(0);
    await settle(page);
    expect(await shown(page, ["tensorflow/grad-chart"])).toEqual({
      "tensorflow/grad-chart": "1 shown, 1 live",
    });
    const chart = await chartPath(page);
    await page.locator(SLIDER).fill("0.5");
    await expect.poll(() => chartPath(page)).not.toBe(chart);
  }, 120_000);

  it("a link to a far slide (#/30) shows that slide with its cells ready", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/#/30"));
    const present = page.locator(PRESENT_SLIDE);
    expect(await present.count()).toBe(1);
    expect(await emptySlots(page, PRESENT_SLIDE)).toEqual([]);
    const states = await present
      .locator("[data-cell]")
      .evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.state));
    expect(states.length, "cells on slide 30").toBeGreaterThan(0);
    expect(states.every((s) => s === "ready")).toBe(true);
    // Then a jump back to the start and on to another far slide by hash, in the same page.
    await jump(page, "#/2");
    await jump(page, "#/32");
    expect(await emptySlots(page, PRESENT_SLIDE)).toEqual([]);
  }, 120_000);
});
