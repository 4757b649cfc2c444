/** The gallery's image comparison: a slide moved a few pixels by reveal's centring still matches. */
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { MAX_DIFF_RATIO, compareImages } from "../browser/gallery.ts";

/** A white 200×100 image with a black bar at rows [top, top + 20). */
function bar(top: number, left = 20): PNG {
  const image = new PNG({ width: 200, height: 100 });
  image.data.fill(255);
  for (let y = top; y < top + 20; y++) {
    for (let x = left; x < left + 160; x++)
      image.data.fill(0, (y * 200 + x) * 4, (y * 200 + x) * 4 + 3);
  }
  return image;
}

describe("compareImages", () => {
  it("matches an identical slide and one moved a few rows", () => {
    expect(compareImages(bar(40), bar(40)).ratio).toBe(0);
    expect(compareImages(bar(40), bar(46)).ratio).toBeLessThanOrEqual(MAX_DIFF_RATIO);
  });

  it("does not match a slide whose content changed, or moved far", () => {
    expect(compareImages(bar(40), bar(40, 100)).ratio).toBeGreaterThan(MAX_DIFF_RATIO);
    expect(compareImages(bar(10), bar(70)).ratio).toBeGreaterThan(MAX_DIFF_RATIO);
  });

  it("leaves out the boxes of measured elements, in both images", () => {
    // The bar stands for a measured number drawn differently in each run.
    const box = { x: 20, y: 40, width: 160, height: 20 };
    expect(compareImages(bar(40), bar(40, 100)).ratio).toBeGreaterThan(MAX_DIFF_RATIO);
    expect(compareImages(bar(40), bar(40, 30), [box]).ratio).toBeLessThanOrEqual(MAX_DIFF_RATIO);
    // What lies outside the boxes still counts.
    const elsewhere = { x: 0, y: 0, width: 10, height: 10 };
    expect(compareImages(bar(40), bar(40, 100), [elsewhere]).ratio).toBeGreaterThan(MAX_DIFF_RATIO);
  });
});
