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
 * Pixels of `box` that are not its background (the colour at its corners, most often white): a
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
  const background = cornerColour(png, x0, y0, x1, y1);
  let ink = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      const a = png.data[i + 3]! / 255;
      for (let c = 0; c < 3; c++) {
        // Composite over white: a transparent screenshot pixel is the page's white.
        const value = png.data[i + c]! * a + 255 * (1 - a);
        if (Math.abs(value - background[c]!) > INK_THRESHOLD) {
          ink++;
          break;
        }
      }
    }
  }
  return ink;
}

/** The most common of the four corner colours (a chart's frame may cover one or two). */
function cornerColour(png: PNG, x0: number, y0: number, x1: number, y1: number): number[] {
  const corners = [
    [x0, y0],
    [x1 - 1, y0],
    [x0, y1 - 1],
    [x1 - 1, y1 - 1],
  ].map(([x, y]) => {
    const i = (y! * png.width + x!) * 4;
    const a = png.data[i + 3]! / 255;
    return [0, 1, 2].map((c) => Math.round(png.data[i + c]! * a + 255 * (1 - a)));
  });
  const key = (c: number[]) => c.join(",");
  const counts = new Map<string, number>();
  for (const c of corners) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  return best.split(",").map(Number);
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
