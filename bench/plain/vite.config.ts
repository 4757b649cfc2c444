/**
 * Vite config of the baseline deck (bench/plain → bench/.plain-dist). The slides are compiled
 * from the deck's Markdown with Flowdeck's own compiler, cells removed, and written into the HTML.
 * `npx vite build -c bench/plain/vite.config.ts` builds it from slides/talk.md by hand.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { InlineConfig, Plugin } from "vite";
import { plainSlides, type PlainSlides } from "./slides.ts";

const here = fileURLToPath(new URL(".", import.meta.url));

export interface PlainDeckOptions {
  /** the deck's Markdown file */
  deck: string;
  outDir: string;
  /** called with what was put in the page */
  onSlides?: (slides: PlainSlides) => void;
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function injectSlides(options: PlainDeckOptions): Plugin {
  return {
    name: "bench-plain-slides",
    transformIndexHtml(html) {
      const slides = plainSlides(readFileSync(options.deck, "utf8"), options.deck);
      options.onSlides?.(slides);
      return html
        .replace("<!--deck-title-->", () => escapeText(slides.title))
        .replace("<!--deck-slides-->", () => slides.html);
    },
  };
}

export function plainDeckConfig(options: PlainDeckOptions): InlineConfig {
  return {
    configFile: false,
    root: here,
    base: "./",
    logLevel: "warn",
    plugins: [injectSlides(options)],
    build: {
      target: "es2022",
      outDir: options.outDir,
      emptyOutDir: true,
      // reveal.js and highlight.js in one chunk, as a typical deck ships them
      chunkSizeWarningLimit: 2000,
    },
  };
}

export default plainDeckConfig({
  deck: fileURLToPath(new URL("../../slides/talk.md", import.meta.url)),
  outDir: fileURLToPath(new URL("../.plain-dist", import.meta.url)),
});
