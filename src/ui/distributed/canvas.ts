/** A canvas sized in CSS pixels and drawn at the screen's resolution. */
export function hiDpiCanvas(
  width: number,
  height: number,
): {
  canvas: HTMLCanvasElement;
  context: CanvasRenderingContext2D;
} {
  const canvas = document.createElement("canvas");
  const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  Object.assign(canvas.style, { width: `${width}px`, height: `${height}px`, display: "block" });
  // drawn on the CPU in the page: a few lines and rectangles a frame are cheap there, while an
  // accelerated canvas on an emulated GPU (SwiftShader) took ~0.4 of a core from the workers
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  context.scale(ratio, ratio);
  return { canvas, context };
}

/** 18 px: a projected slide may scale the demo down a little, and the back row reads 14 at least */
export const FONT = "18px sans-serif";
export const COLORS = {
  compute: "#0877bd",
  comm: "#f59322",
  wait: "#d0d0d0",
  text: "#222",
  grid: "#e4e4e4",
  dead: "#d62728",
};

/** One color per run, in order. */
export const RUN_COLORS = [
  "#0877bd",
  "#f59322",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
];
