/**
 * Loss curves, one line per run, against a chosen x (seconds of training or steps): canvas,
 * redrawn as the runs grow. Each curve is a moving average over 10 records (a single batch's
 * loss is noisy) thinned to about one point per pixel.
 */
import { COLORS, FONT, hiDpiCanvas } from "./canvas.ts";

export interface Curve {
  color: string;
  label: string;
  points: ReadonlyArray<{ x: number; y: number }>;
}

const MARGIN = { left: 52, right: 12, top: 12, bottom: 50 };

export function smoothed<T>(
  records: readonly T[],
  x: (r: T) => number,
  y: (r: T) => number,
  window = 10,
  maxPoints = 400,
) {
  const out: Array<{ x: number; y: number }> = [];
  const every = Math.max(1, Math.floor(records.length / maxPoints));
  let sum = 0;
  for (let i = 0; i < records.length; i++) {
    sum += y(records[i]!);
    if (i >= window) sum -= y(records[i - window]!);
    if (i % every === 0 || i === records.length - 1)
      out.push({ x: x(records[i]!), y: sum / Math.min(i + 1, window) });
  }
  return out;
}

export class LossChart {
  readonly element: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  readonly #width: number;
  readonly #height: number;
  readonly #xLabel: string;

  constructor(width: number, height: number, xLabel: string) {
    const { canvas, context } = hiDpiCanvas(width, height);
    this.element = canvas;
    this.#context = context;
    this.#width = width;
    this.#height = height;
    this.#xLabel = xLabel;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `training loss against ${xLabel}`);
  }

  draw(curves: readonly Curve[]): void {
    const ctx = this.#context;
    const w = this.#width - MARGIN.left - MARGIN.right;
    const h = this.#height - MARGIN.top - MARGIN.bottom;
    ctx.clearRect(0, 0, this.#width, this.#height);
    let xMax = 1;
    for (const c of curves) for (const p of c.points) xMax = Math.max(xMax, p.x);
    const yMax = 2.5;
    const sx = (x: number) => MARGIN.left + (x / xMax) * w;
    const sy = (y: number) => MARGIN.top + h - (Math.min(y, yMax) / yMax) * h;
    ctx.font = FONT;
    ctx.fillStyle = COLORS.text;
    ctx.strokeStyle = COLORS.grid;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let y = 0; y <= yMax; y += 0.5) {
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, sy(y));
      ctx.lineTo(MARGIN.left + w, sy(y));
      ctx.stroke();
      ctx.fillText(y.toFixed(1), MARGIN.left - 6, sy(y));
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const tick = niceStep(xMax / 5);
    for (let x = 0; x <= xMax; x += tick)
      ctx.fillText(String(Math.round(x * 100) / 100), sx(x), MARGIN.top + h + 4);
    ctx.fillText(this.#xLabel, MARGIN.left + w / 2, MARGIN.top + h + 26);
    ctx.lineWidth = 2;
    for (const c of curves) {
      ctx.strokeStyle = c.color;
      ctx.beginPath();
      c.points.forEach((p, i) => (i ? ctx.lineTo(sx(p.x), sy(p.y)) : ctx.moveTo(sx(p.x), sy(p.y))));
      ctx.stroke();
    }
  }
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
