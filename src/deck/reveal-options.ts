/** The reveal.js settings of every Flowdeck deck (the benchmark's plain baseline uses them too). */
import type { RevealConfig } from "reveal.js";

export const REVEAL_OPTIONS = {
  hash: true,
  history: false,
  slideNumber: "c/t",
  progress: true,
  controls: true,
  width: 1280,
  height: 720,
  margin: 0.04,
  transition: "slide",
  // Content slides start at the top, so that every title sits in the same place; title and
  // section slides (class "center") stay centred.
  center: false,
  // A printed slide shows all its fragments on one page. Reveal's default prints a copy of the
  // slide per fragment step, cloned while its cells may still be computing: the copies would
  // keep what a cell showed then (a stale "waiting…"), not its settled output.
  pdfSeparateFragments: false,
} as const satisfies RevealConfig;
