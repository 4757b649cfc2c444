/** Shared links: input values and a seed travel in the URL; code in a link runs only on consent. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domCell, gotoAndSettle, openSession, settle, siteUrl, type Session } from "./browser.ts";

const PAGE = "/notebook.html?n=tensorflow";
const SLIDER = '[data-cell="tensorflow/x0"] input[type=range]';

describe("shared links (notebook.html?n=tensorflow)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("every notebook page runs seeded and says so in its URL", async () => {
    await gotoAndSettle(session.page, siteUrl(PAGE));
    expect(new URL(session.page.url()).searchParams.get("seed")).toMatch(/^\d+$/);
  });

  it("a slider's value goes into the link, and the link puts it back", async () => {
    const { page, context } = session;
    await page.locator(SLIDER).scrollIntoViewIfNeeded();
    await page.locator(SLIDER).fill("-0.5");
    await expect.poll(() => new URL(page.url()).searchParams.has("in")).toBe(true);
    const link = page.url();

    const other = await context.newPage();
    await gotoAndSettle(other, link);
    await other.locator(SLIDER).scrollIntoViewIfNeeded();
    await expect.poll(() => other.locator(SLIDER).inputValue()).toBe("-0.5");
    await settle(other);
    // The dependent prose shows the restored value, not the default 1.50.
    const x0 = await other.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLElement>('[data-cell^="tensorflow/cell-"] .fd-output'),
        (output) => output.textContent ?? "",
      ),
    );
    expect(x0).toContain("-0.50");
    await other.close();
  });

  it("code in a link is shown first and runs only when the reader accepts", async () => {
    const { browser } = session;
    const { page } = session;
    await page.click('[data-cell="tensorflow/grad"] .fd-edit-button');
    await page.click('[data-cell="tensorflow/grad"] .cm-content');
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText("\nconst sharedMarker = 42;");
    await page.keyboard.press("Shift+Enter");
    await expect
      .poll(() => page.locator('[data-cell="tensorflow/grad"][data-edited]').count())
      .toBe(1);
    await page.click(".fd-share");
    const link = await page.locator(".fd-share").getAttribute("data-link");
    expect(link).toContain("code=");

    const stranger = await browser.newContext();
    const visit = await stranger.newPage();
    await gotoAndSettle(visit, link ?? "");
    const notice = visit.locator(".fd-notices .fd-notice");
    await expect.poll(() => notice.textContent()).toContain("carries edited code");
    // Nothing ran yet: the cell is the author's.
    expect(await visit.locator('[data-cell="tensorflow/grad"][data-edited]').count()).toBe(0);
    await visit.click('.fd-notices button:text("Review the code")');
    await expect
      .poll(() => visit.locator('[data-cell="tensorflow/grad"] .cm-content').textContent())
      .toContain("sharedMarker");
    expect(await visit.locator('[data-cell="tensorflow/grad"][data-edited]').count()).toBe(0);
    await visit.click('.fd-notices button:text("Run it")');
    await expect
      .poll(() => visit.locator('[data-cell="tensorflow/grad"][data-edited]').count())
      .toBe(1);
    // Its inputs run while on screen: bring the cell into view, then it completes.
    await visit.locator('[data-cell="tensorflow/grad"]').scrollIntoViewIfNeeded();
    await expect.poll(async () => (await domCell(visit, "tensorflow/grad")).state).toBe("ready");
    expect(new URL(visit.url()).searchParams.has("code")).toBe(false);
    await stranger.close();
  });
});
