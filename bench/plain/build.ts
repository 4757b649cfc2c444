/** Builds the baseline deck into bench/.plain-dist from the given deck Markdown. */
import path from "node:path";
import { build } from "vite";
import type { PlainSlides } from "./slides.ts";
import { plainDeckConfig } from "./vite.config.ts";

export interface PlainBuild {
  outDir: string;
  slides: PlainSlides;
}

export async function buildPlainDeck(root: string, deck: string): Promise<PlainBuild> {
  const outDir = path.join(root, "bench", ".plain-dist");
  let slides: PlainSlides | undefined;
  await build(
    plainDeckConfig({
      deck,
      outDir,
      onSlides: (s) => (slides = s),
    }),
  );
  if (!slides) throw new Error("the baseline build did not render the slides");
  return { outDir, slides };
}
