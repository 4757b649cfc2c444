/**
 * The workers' timeline, drawn like a Gantt chart: one row per worker, the last few seconds,
 * computing (blue), communicating (orange) and waiting (grey), as the coordinator recorded them.
 */
import type { Activity, ActivityKind } from "../../ml/distributed/coordinator.ts";
import { COLORS, FONT, hiDpiCanvas } from "./canvas.ts";

/** as tall as a row of the worker panel beside it (its touch-sized controls) */
export const TIMELINE_ROW = 40;
const ROW = TIMELINE_ROW;
const LABEL = 90;
/** the line under the rows: the time axis and the colour key */
const FOOT = 30;

export class Timeline {
  readonly element: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  readonly #width: number;
  readonly #rows: number;
  windowMs = 4000;

  constructor(width: number, rows: number) {
    const height = rows * ROW + FOOT;
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
    ctx.clearRect(0, 0, this.#width, this.#rows * ROW + FOOT);
    ctx.font = FONT;
    ctx.textBaseline = "middle";
    for (let r = 0; r < this.#rows; r++) {
      ctx.fillStyle = dead[r] ? COLORS.dead : COLORS.text;
      ctx.fillText(labels[r] ?? `worker ${r}`, 0, r * ROW + ROW / 2);
    }
    const runs = pixelRuns(activity, this.#rows, start, this.windowMs, Math.floor(w));
    for (const { rank, kind, from, to } of runs) {
      ctx.fillStyle = COLORS[kind];
      ctx.fillRect(LABEL + from, rank * ROW + 6, to - from, ROW - 12);
    }
    ctx.fillStyle = COLORS.text;
    ctx.textAlign = "right";
    ctx.fillText("now", LABEL + w, this.#rows * ROW + 15);
    ctx.textAlign = "left";
    ctx.fillText(`−${this.windowMs / 1000} s`, LABEL, this.#rows * ROW + 15);
    const legend: Array<[string, string]> = [
      ["computing", COLORS.compute],
      ["communicating", COLORS.comm],
      ["waiting", COLORS.wait],
    ];
    let x = LABEL + 60;
    for (const [name, color] of legend) {
      ctx.fillStyle = color;
      ctx.fillRect(x, this.#rows * ROW + 8, 14, 14);
      ctx.fillStyle = COLORS.text;
      ctx.fillText(name, x + 18, this.#rows * ROW + 15);
      x += ctx.measureText(name).width + 40;
    }
  }
}

const KINDS: ActivityKind[] = ["compute", "comm", "wait"];

export interface PixelRun {
  rank: number;
  kind: ActivityKind;
  /** pixels from the plot's left edge, `to` exclusive */
  from: number;
  to: number;
}

/**
 * The activity as runs of whole pixels, each pixel showing what its rank spent most of that
 * pixel's time on. At hundreds of steps a second a pixel holds several steps: drawing every
 * activity would be thousands of rectangles a frame (and, where the GPU is emulated, a large
 * share of a core), for a picture no different at this resolution.
 */
export function pixelRuns(
  activity: readonly Activity[],
  rows: number,
  start: number,
  windowMs: number,
  pixels: number,
): PixelRun[] {
  if (pixels < 1) return [];
  const msPerPixel = windowMs / pixels;
  const time = KINDS.map(() => new Float64Array(rows * pixels));
  for (let i = activity.length - 1; i >= 0; i--) {
    const a = activity[i]!;
    if (a.end < start) break;
    if (a.rank >= rows || a.rank < 0) continue;
    const from = Math.max(0, (a.start - start) / msPerPixel);
    const to = Math.min(pixels, (a.end - start) / msPerPixel);
    const k = time[KINDS.indexOf(a.kind)]!;
    for (let p = Math.floor(from); p < to; p++) {
      k[a.rank * pixels + p]! += Math.min(to, p + 1) - Math.max(from, p);
    }
  }
  const runs: PixelRun[] = [];
  for (let rank = 0; rank < rows; rank++) {
    let current: PixelRun | undefined;
    for (let p = 0; p < pixels; p++) {
      let best = -1;
      let most = 0;
      for (let k = 0; k < KINDS.length; k++) {
        const t = time[k]![rank * pixels + p]!;
        if (t > most) [best, most] = [k, t];
      }
      const kind = best < 0 ? undefined : KINDS[best]!;
      if (current && current.kind === kind && current.to === p) current.to = p + 1;
      else if (kind) runs.push((current = { rank, kind, from: p, to: p + 1 }));
      else current = undefined;
    }
  }
  return runs;
}
