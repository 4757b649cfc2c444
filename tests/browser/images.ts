/**
 * Pictures for the print, gallery and legibility tests: PNG decoding, ink counts, and a PDF's
 * pages as PNG images through poppler's pdftoppm (Debian's poppler-utils).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PNG } from "pngjs";

const run = promisify(execFile);

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A pixel counts as ink when a channel differs from the box's background by more than this. */
const INK_THRESHOLD = 48;

/**
 * Pixels of `box` that are not its background (its most common colour, most often white): a
 * chart, text or image drawn there. Counts the whole image when no box is given.
 */
export function inkCount(
  png: PNG,
  box: Box = { x: 0, y: 0, width: png.width, height: png.height },
): number {
  const x0 = Math.max(0, Math.round(box.x));
  const y0 = Math.max(0, Math.round(box.y));
  const x1 = Math.min(png.width, Math.round(box.x + box.width));
  const y1 = Math.min(png.height, Math.round(box.y + box.height));
  if (x1 <= x0 || y1 <= y0) return 0;
  const background = dominantColour(png, x0, y0, x1, y1);
  let ink = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const pixel = over(png, x, y);
      if (pixel.some((value, c) => Math.abs(value - background[c]!) > INK_THRESHOLD)) ink++;
    }
  }
  return ink;
}

/** The most common colour of the box (quantized): the page, or a panel's own background. */
function dominantColour(png: PNG, x0: number, y0: number, x1: number, y1: number): number[] {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = -1;
  // Every other pixel is plenty for a histogram.
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      const [r, g, b] = over(png, x, y);
      const key = ((r! >> 3) << 10) | ((g! >> 3) << 5) | (b! >> 3);
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (count > bestCount) [best, bestCount] = [key, count];
    }
  }
  return [(best >> 10) & 31, (best >> 5) & 31, best & 31].map((c) => (c << 3) + 4);
}

/** A pixel composited over white: a transparent screenshot pixel is the page's white. */
function over(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  const a = png.data[i + 3]! / 255;
  return [0, 1, 2].map((c) => Math.round(png.data[i + c]! * a + 255 * (1 - a)));
}

export function decodePng(buffer: Buffer): PNG {
  return PNG.sync.read(buffer);
}

/** Every page of `pdf` as a PNG of `width`×`height` pixels (one CSS pixel per pixel). */
export async function pdfPages(pdf: Buffer, width: number, height: number): Promise<PNG[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "flowdeck-pdf-"));
  try {
    const file = path.join(dir, "deck.pdf");
    await writeFile(file, pdf);
    const args = ["-png", "-scale-to-x", String(width), "-scale-to-y", String(height)];
    try {
      await run("pdftoppm", [...args, file, path.join(dir, "page")], { maxBuffer: 1 << 24 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(
          "pdftoppm is missing: install Debian's poppler-utils (`apt-get install poppler-utils`)",
          { cause: error },
        );
      }
      throw error;
    }
    const names = (await readdir(dir)).filter((f) => f.endsWith(".png")).sort();
    return Promise.all(names.map(async (name) => decodePng(await readFile(path.join(dir, name)))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
