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

/** Screenshots of each printed page's slide (without the page's margin), in order. */
export async function slideImages(page: Page): Promise<Buffer[]> {
  const sheets = page.locator(".reveal .slides > .pdf-page");
  const count = await sheets.count();
  const images: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const sheet = sheets.nth(i);
    await sheet.scrollIntoViewIfNeeded();
    const frame = await sheet.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const section = element.querySelector<HTMLElement>(":scope > section");
      // reveal centres the 1280×720 slide on a page 4% larger.
      const left = section ? section.getBoundingClientRect().left : box.left;
      return {
        x: left + window.scrollX,
        y: box.top + window.scrollY + (box.height - 720) / 2,
        width: 1280,
        height: 720,
      };
    });
    images.push(await page.screenshot({ clip: frame, fullPage: true, animations: "disabled" }));
  }
  return images;
}

/** Channel distance below which two pixels match (pixelmatch's scale, 0–1): above SwiftShader's noise. */
const PIXEL_THRESHOLD = 0.2;
/**
 * A slide differs when more than this share of its pixels do. Slides that show this machine's
 * measurements (rates, timings, a training run's curve) differ by 3–4 % from run to run; a
 * chart or table that is lost or redrawn differs by far more. Lost ink on paper is the print
 * test's job.
 */
export const MAX_DIFF_RATIO = 0.05;

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

export function compareImages(golden: PNG, actual: PNG): Comparison {
  if (golden.width !== actual.width || golden.height !== actual.height) {
    return { ratio: 1, diff: actual };
  }
  let best = compareShifted(golden, actual, 0);
  for (let dy = 2; dy <= MAX_SHIFT && best.ratio > MAX_DIFF_RATIO; dy += 2) {
    for (const shift of [dy, -dy]) {
      const next = compareShifted(golden, actual, shift);
      if (next.ratio < best.ratio) best = next;
    }
  }
  return best;
}

function compareShifted(golden: PNG, actual: PNG, dy: number): Comparison {
  const { width, height } = golden;
  const moved = dy === 0 ? actual : shiftRows(actual, dy);
  const diff = new PNG({ width, height });
  const mismatched = pixelmatch(golden.data, moved.data, diff.data, width, height, {
    threshold: PIXEL_THRESHOLD,
  });
  return { ratio: mismatched / (width * height), diff };
}

/** The image moved down by `dy` rows (up when negative), the uncovered rows white. */
function shiftRows(image: PNG, dy: number): PNG {
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
