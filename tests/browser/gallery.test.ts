/**
 * Every printed slide of every deck against its golden image in tests/golden/slides/, within a
 * tolerance for SwiftShader's noise and seeded-but-software-rendered outputs, leaving out the
 * boxes of `[data-measured]` elements (this machine's timings and rates). A slide that
 * differs fails, and its image and the difference are written to tests/browser/artifacts/gallery/.
 * `npm run gallery:update` rewrites the golden images (and removes those of slides now gone).
 */
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gotoAndSettle, openSession, siteUrl, type Session } from "./browser.ts";
import {
  GALLERY_DIFFS,
  GOLDEN_SLIDES,
  MAX_DIFF_RATIO,
  compareImages,
  slideImageName,
  slideImages,
} from "./gallery.ts";
import { DECKS, deckPath } from "./site.ts";

const UPDATE = process.env.FLOWDECK_GALLERY_UPDATE === "1";

async function readGolden(name: string): Promise<PNG | undefined> {
  try {
    return PNG.sync.read(await readFile(new URL(name, GOLDEN_SLIDES)));
  } catch {
    return undefined;
  }
}

describe.each(DECKS)("gallery: deck %s", (deck) => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: { width: 1280, height: 720 } });
  });
  afterAll(() => session?.close());

  it(
    UPDATE ? "writes the golden images" : "matches the golden images",
    { timeout: 600_000 },
    async () => {
      const { page } = session;
      await gotoAndSettle(page, siteUrl(deckPath(deck, "print-pdf")));
      const images = await slideImages(page);
      expect(images.length, "printed pages").toBeGreaterThan(0);
      const dir = new URL(`${deck}/`, GOLDEN_SLIDES);
      if (UPDATE) {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
        await Promise.all(
          images.map((image, i) =>
            writeFile(new URL(slideImageName(deck, i), GOLDEN_SLIDES), image.png),
          ),
        );
        return;
      }
      const failures: string[] = [];
      const goldenCount = (await readdir(dir).catch(() => [] as string[])).filter((f) =>
        f.endsWith(".png"),
      ).length;
      for (const [i, image] of images.entries()) {
        const name = slideImageName(deck, i);
        const golden = await readGolden(name);
        if (!golden) {
          failures.push(`${name}: no golden image`);
          continue;
        }
        const { ratio, diff } = compareImages(golden, PNG.sync.read(image.png), image.measured);
        if (ratio <= MAX_DIFF_RATIO) continue;
        failures.push(`${name}: ${(ratio * 100).toFixed(1)}% of pixels differ`);
        const out = new URL(slideImageName(deck, i).replace(/\.png$/, ""), GALLERY_DIFFS);
        await mkdir(new URL("./", out), { recursive: true });
        await writeFile(`${out.pathname}.actual.png`, image.png);
        await writeFile(`${out.pathname}.diff.png`, PNG.sync.write(diff));
      }
      if (goldenCount !== images.length)
        failures.push(`${goldenCount} golden images for ${images.length} pages`);
      expect(
        failures,
        `slides unlike their golden images (see tests/browser/artifacts/gallery/; \`npm run gallery:update\` accepts them):\n  ${failures.join("\n  ")}`,
      ).toEqual([]);
    },
  );
});
