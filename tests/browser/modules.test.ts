/**
 * Shared modules by name: a cell imports `flowdeck/<name>` on the built site, and so does a
 * reader's edit of it; anything else is refused in place, with no request leaving the origin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gotoAndSettle, offOrigin, openSession, siteUrl, type Session } from "./browser.ts";
import { cellLocator, editAndRun } from "./editor.ts";

const SHARED = "selftest/shared";
const pixels = (session: Session) =>
  cellLocator(session.page, SHARED).locator(".selftest-pixels").textContent();

describe("flowdeck/* modules on the built site", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("a notebook's cell imports flowdeck/mnist", async () => {
    await gotoAndSettle(session.page, siteUrl("/notebook.html?n=selftest"));
    await expect.poll(() => pixels(session)).toBe("784");
  });

  it("a reader's edit imports another shared module by name", async () => {
    const { page } = session;
    await editAndRun(
      page,
      SHARED,
      'import {wireBytes} from "flowdeck/quantize";\nconst pixelsPerDigit = wireBytes(784, 8);\ndisplay(html`<p><strong class="selftest-pixels">${pixelsPerDigit}</strong></p>`);',
    );
    await expect.poll(() => pixels(session), { timeout: 15_000 }).toBe("792");
    expect(await cellLocator(page, SHARED).getAttribute("data-state")).toBe("ready");
  });

  it("an import from elsewhere is refused in place and requests nothing", async () => {
    const { page, requests } = session;
    const before = requests.urls.length;
    await editAndRun(page, SHARED, 'import {x} from "https://example.com/x.js";\nx');
    const alert = cellLocator(page, SHARED).locator("[role=alert]");
    await expect
      .poll(() => alert.textContent(), { timeout: 15_000 })
      .toMatch(/Cannot import "https:\/\/example\.com\/x\.js".*flowdeck\/mnist.*offline/);
    const origin = new URL(siteUrl("/")).origin;
    expect(offOrigin(requests.urls.slice(before), origin)).toEqual([]);
  });
});
