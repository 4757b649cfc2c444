/**
 * The workers' timeline, drawn like a Gantt chart: one row per worker, the last few seconds,
 * computing (blue), communicating (orange) and waiting (grey), as the coordinator recorded them.
 */
import type { Activity } from "../../ml/distributed/coordinator.ts";
import { COLORS, FONT, hiDpiCanvas } from "./canvas.ts";

const ROW = 22;
const LABEL = 80;

export class Timeline {
  readonly element: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  readonly #width: number;
  readonly #rows: number;
  windowMs = 4000;

  constructor(width: number, rows: number) {
    const height = rows * ROW + 24;
    const { canvas, context } = hiDpiCanvas(width, height);
    this.element = canvas;
    this.#context = context;
    this.#width = width;
    this.#rows = rows;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "per-worker timeline: computing, communicating, waiting");
  }

  draw(activity: readonly Activity[], now: number, labels: string[], dead: boolean[]): void {
    const ctx = this.#context;
    const w = this.#width - LABEL - 8;
    const start = now - this.windowMs;
    ctx.clearRect(0, 0, this.#width, this.#rows * ROW + 24);
    ctx.font = FONT;
    ctx.textBaseline = "middle";
    for (let r = 0; r < this.#rows; r++) {
      ctx.fillStyle = dead[r] ? COLORS.dead : COLORS.text;
      ctx.fillText(labels[r] ?? `worker ${r}`, 0, r * ROW + ROW / 2);
    }
    for (let i = activity.length - 1; i >= 0; i--) {
      const a = activity[i]!;
      if (a.end < start) break;
      if (a.rank >= this.#rows) continue;
      const x0 = LABEL + Math.max(0, (a.start - start) / this.windowMs) * w;
      const x1 = LABEL + Math.min(1, (a.end - start) / this.windowMs) * w;
      ctx.fillStyle = COLORS[a.kind];
      ctx.fillRect(x0, a.rank * ROW + 3, Math.max(1, x1 - x0), ROW - 6);
    }
    ctx.fillStyle = COLORS.text;
    ctx.textAlign = "right";
    ctx.fillText("now", LABEL + w, this.#rows * ROW + 12);
    ctx.textAlign = "left";
    ctx.fillText(`−${this.windowMs / 1000} s`, LABEL, this.#rows * ROW + 12);
    const legend: Array<[string, string]> = [
      ["computing", COLORS.compute],
      ["communicating", COLORS.comm],
      ["waiting", COLORS.wait],
    ];
    let x = LABEL + 60;
    for (const [name, color] of legend) {
      ctx.fillStyle = color;
      ctx.fillRect(x, this.#rows * ROW + 6, 12, 12);
      ctx.fillStyle = COLORS.text;
      ctx.fillText(name, x + 16, this.#rows * ROW + 12);
      x += ctx.measureText(name).width + 36;
    }
  }
}
