/**
 * The gallery: every slide of every deck as the printed deck shows it (every cell mounted and
 * settled, canvases frozen), one 1280×720 image per printed page, cut from reveal's print view.
 */
import type { Page } from "playwright-core";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";

export const GOLDEN_SLIDES = new URL("../golden/slides/", import.meta.url);
/** Where a failing comparison writes what it saw and the difference (not committed). */
export const GALLERY_DIFFS = new URL("./artifacts/gallery/", import.meta.url);

/** `<deck>/<page>.png`, the page numbered from 01 as printed. */
export function slideImageName(deck: string, page: number): string {
  return `${deck}/${String(page + 1).padStart(2, "0")}.png`;
}

/** A box of a slide image, in its pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SlideImage {
  png: Buffer;
  /**
   * The boxes of the slide's `[data-measured]` elements: numbers this machine measured (rates,
   * timings, a throughput chart), which differ from run to run and are left out of comparisons.
   */
  measured: Box[];
}

/** Screenshots of each printed page's slide (without the page's margin), in order. */
export async function slideImages(page: Page): Promise<SlideImage[]> {
  const sheets = page.locator(".reveal .slides > .pdf-page");
  const count = await sheets.count();
  const images: SlideImage[] = [];
  for (let i = 0; i < count; i++) {
    const sheet = sheets.nth(i);
    await sheet.scrollIntoViewIfNeeded();
    const { frame, measured } = await sheet.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const section = element.querySelector<HTMLElement>(":scope > section");
      // reveal centres the 1280×720 slide on a page 4% larger.
      const left = section ? section.getBoundingClientRect().left : box.left;
      const top = box.top + (box.height - 720) / 2;
      const measured = Array.from(element.querySelectorAll("[data-measured]"), (e) => {
        const r = e.getBoundingClientRect();
        return { x: r.left - left, y: r.top - top, width: r.width, height: r.height };
      }).filter((r) => r.width > 0 && r.height > 0);
      return {
        frame: { x: left + window.scrollX, y: top + window.scrollY, width: 1280, height: 720 },
        measured,
      };
    });
    const png = await page.screenshot({ clip: frame, fullPage: true, animations: "disabled" });
    images.push({ png, measured });
  }
  return images;
}

/** Channel distance below which two pixels match (pixelmatch's scale, 0–1): above SwiftShader's noise. */
const PIXEL_THRESHOLD = 0.2;
/**
 * A slide differs when more than this share of its pixels do, its measured boxes left out (a
 * chart or table that is lost or redrawn differs by far more). Lost ink on paper is the print
 * test's job.
 */
export const MAX_DIFF_RATIO = 0.02;

/** Measured boxes are blanked with this much room around them (text antialiasing, a shift). */
const MASK_PAD = 4;

export interface Comparison {
  ratio: number;
  diff: PNG;
}

/**
 * Reveal centres a slide by its height, so an output whose measured numbers take another line
 * (a rate of this machine) moves the whole slide a few pixels. Such a shift is not a change of
 * the slide: where the plain comparison fails, the slide is compared again moved up or down by
 * up to this many pixels, and the best match counts.
 */
const MAX_SHIFT = 24;

/**
 * The share of pixels that differ between the golden image and this run's, the boxes of this
 * run's measured elements (`measured`, in the actual image's pixels) blanked in both.
 */
export function compareImages(golden: PNG, actual: PNG, measured: Box[] = []): Comparison {
  if (golden.width !== actual.width || golden.height !== actual.height) {
    return { ratio: 1, diff: actual };
  }
  let best = compareShifted(golden, actual, 0, measured);
  for (let dy = 2; dy <= MAX_SHIFT && best.ratio > MAX_DIFF_RATIO; dy += 2) {
    for (const shift of [dy, -dy]) {
      const next = compareShifted(golden, actual, shift, measured);
      if (next.ratio < best.ratio) best = next;
    }
  }
  return best;
}

function compareShifted(golden: PNG, actual: PNG, dy: number, measured: Box[]): Comparison {
  const { width, height } = golden;
  const moved = shiftRows(actual, dy);
  // The boxes move with the actual image; the golden copy is blanked at the same places.
  const boxes = measured.map((box) => ({ ...box, y: box.y + dy }));
  const expected = blank(golden, boxes);
  const seen = blank(moved, boxes);
  const diff = new PNG({ width, height });
  const mismatched = pixelmatch(expected.data, seen.data, diff.data, width, height, {
    threshold: PIXEL_THRESHOLD,
  });
  return { ratio: mismatched / (width * height), diff };
}

/** A copy of `image` with `boxes` (padded by MASK_PAD) painted white. */
export function blank(image: PNG, boxes: readonly Box[]): PNG {
  const { width, height } = image;
  const out = new PNG({ width, height });
  image.data.copy(out.data);
  for (const box of boxes) {
    const x0 = Math.max(0, Math.floor(box.x - MASK_PAD));
    const x1 = Math.min(width, Math.ceil(box.x + box.width + MASK_PAD));
    const y0 = Math.max(0, Math.floor(box.y - MASK_PAD));
    const y1 = Math.min(height, Math.ceil(box.y + box.height + MASK_PAD));
    for (let y = y0; y < y1; y++) out.data.fill(255, (y * width + x0) * 4, (y * width + x1) * 4);
  }
  return out;
}

/** The image moved down by `dy` rows (up when negative), the uncovered rows white. */
function shiftRows(image: PNG, dy: number): PNG {
  if (dy === 0) return image;
  const { width, height } = image;
  const out = new PNG({ width, height });
  out.data.fill(255);
  const row = width * 4;
  for (let y = 0; y < height; y++) {
    const from = y - dy;
    if (from < 0 || from >= height) continue;
    image.data.copy(out.data, y * row, from * row, (from + 1) * row);
  }
  return out;
}
