import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAllReady, gotoAndSettle, openSession, siteUrl, type Session } from "./browser.ts";
import { leafSlideCount } from "./deck.ts";

/** Page objects in a PDF (`/Type /Page`, not the `/Pages` tree nodes). */
function countPdfPages(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

describe("print (?print-pdf)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("freezes every live output and prints at least one page per slide", async () => {
    const { page, problems } = session;
    await gotoAndSettle(page, siteUrl("/?print-pdf"));
    const cellCount = await page.locator("[data-cell]").count();
    const slotCount = await page.locator("[data-slot]").count();
    expect(cellCount, "every embedded cell is mounted for print").toBe(slotCount);
    expect(cellCount).toBeGreaterThan(0);
    await expectAllReady(page, "in the print view");
    expect(await page.locator(".fd-cell canvas").count(), "canvases left unfrozen").toBe(0);

    const slides = await leafSlideCount(page);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(countPdfPages(pdf)).toBeGreaterThanOrEqual(slides);
    expect(problems.pageErrors).toEqual([]);
  });
});
