/** The live loss chart: training loss (grey) and test loss (dark) by epoch, on a canvas. */
import { sampleIndices, type LossHistory } from "./loss-history.ts";

export class LossChart {
  readonly element: HTMLCanvasElement;
  readonly #width: number;
  readonly #height: number;
  readonly #ctx: CanvasRenderingContext2D;

  constructor(width: number, height: number) {
    this.#width = width;
    this.#height = height;
    const canvas = document.createElement("canvas");
    const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.className = "pg-loss-chart";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "training and test loss by epoch");
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas");
    ctx.scale(ratio, ratio);
    this.element = canvas;
    this.#ctx = ctx;
  }

  draw(history: LossHistory): void {
    const ctx = this.#ctx;
    const w = this.#width;
    const h = this.#height;
    ctx.clearRect(0, 0, w, h);
    const n = history.length;
    if (n === 0) return;
    const top = history.max(0.05);
    const x = (i: number) => (n === 1 ? 0 : (i * (w - 2)) / (n - 1)) + 1;
    const y = (v: number) => h - 2 - (Math.min(v, top) / top) * (h - 4);
    const indices = sampleIndices(n, Math.max(2, Math.floor(w)));
    for (const [series, color, width] of [
      [history.train, "#9aa0a6", 1.5],
      [history.test, "#202124", 1.5],
    ] as const) {
      ctx.beginPath();
      indices.forEach((i, k) => {
        const v = series[i] ?? 0;
        if (k === 0) ctx.moveTo(x(i), y(v));
        else ctx.lineTo(x(i), y(v));
      });
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.stroke();
    }
  }
}
