/**
 * Canvas drawing for the picture: a value grid painted pixel for pixel into a small canvas that
 * CSS scales up (the browser smooths it on the compositor, so a frame costs one putImageData),
 * and the data points on a canvas of their own, redrawn only when the points change.
 */
import { DOMAIN, type Point } from "../../ml/playground/datasets.ts";
import { colorOf, colorTable, paintValues } from "./colors.ts";

const LUT = colorTable();

/** A canvas of n × n pixels showing a grid of values in [−1, 1]. */
export class GridCanvas {
  readonly element: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;
  readonly #image: ImageData;
  readonly #pixels: Uint32Array;

  constructor(n: number, cssSize: number, className = "pg-grid") {
    const canvas = document.createElement("canvas");
    canvas.width = n;
    canvas.height = n;
    canvas.style.width = `${cssSize}px`;
    canvas.style.height = `${cssSize}px`;
    canvas.className = className;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas");
    this.element = canvas;
    this.#ctx = ctx;
    this.#image = ctx.createImageData(n, n);
    this.#pixels = new Uint32Array(this.#image.data.buffer);
  }

  /** Paints n² values (row 0 at the top); `scale` multiplies each value first. */
  paint(values: ArrayLike<number>, discretize = false, scale = 1): void {
    if (values.length < this.#pixels.length) return;
    paintValues(this.#pixels, values, LUT, discretize, scale);
    this.#ctx.putImageData(this.#image, 0, 0);
  }
}

/** Canvas pixels per data unit, for a square of `size` px over [−DOMAIN, DOMAIN]. */
export function toPixel(v: number, size: number, flip = false): number {
  const t = (v + DOMAIN) / (2 * DOMAIN);
  return (flip ? 1 - t : t) * size;
}

/** The data points over the heat map: training points with a white ring, test points with a dark one. */
export class PointsLayer {
  readonly element: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;
  readonly #size: number;

  constructor(size: number) {
    const canvas = document.createElement("canvas");
    const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
    canvas.width = Math.round(size * ratio);
    canvas.height = Math.round(size * ratio);
    canvas.style.width = `${size}px`;
    canvas.style.height = `${size}px`;
    canvas.className = "pg-points";
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas");
    ctx.scale(ratio, ratio);
    this.element = canvas;
    this.#ctx = ctx;
    this.#size = size;
  }

  draw(train: readonly Point[], test: readonly Point[], showTest: boolean): void {
    const ctx = this.#ctx;
    const s = this.#size;
    ctx.clearRect(0, 0, s, s);
    const dot = (p: Point, ring: string) => {
      const [r, g, b] = colorOf(p.label);
      ctx.beginPath();
      ctx.arc(toPixel(p.x, s), toPixel(p.y, s, true), 2.8, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = ring;
      ctx.stroke();
    };
    for (const p of train) dot(p, "#ffffff");
    if (showTest) for (const p of test) dot(p, "#202124");
  }
}
