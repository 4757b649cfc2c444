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
} as const satisfies RevealConfig;
