/**
 * The retrain panel: a button, a progress bar and a live chart of held-out accuracy against
 * training time. Built once, updated in place. Its root carries the progress as data attributes
 * (`data-phase`, `data-step`, `data-steps`, `data-accuracy`, `data-history`) for tests and the bench.
 */
import type { AccuracyPoint, TrainProgress } from "../../ml/mnist/train.ts";

const SVG = "http://www.w3.org/2000/svg";
/** The chart's smallest size; given the width of its slot, it takes what the panel leaves. */
const MIN_CW = 460;
const MIN_CH = 250;
const PANEL = 300;
const GAP = 24;
// Room for 16 px ticks and labels: a projector's back row reads nothing smaller.
const M = { left: 64, right: 12, top: 12, bottom: 46 };
const TARGET = 0.95;

export interface TrainingView {
  element: HTMLElement;
  button: HTMLButtonElement;
  status(text: string): void;
  update(progress: TrainProgress, backend: string): void;
  setRunning(running: boolean): void;
}

function svgEl(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el as SVGElement;
}

export interface TrainingViewOptions {
  /** the width of the cell's slot: the chart fills what the panel beside it leaves */
  width?: number;
}

/** The spacing of the accuracy ticks for an axis from `floor` to 100 %. */
function tickStep(floor: number): number {
  const span = 1 - floor;
  return span > 0.5 ? 0.25 : span > 0.2 ? 0.1 : 0.05;
}

/**
 * Where the accuracy axis starts for a run whose lowest evaluation is `lowest`: a little below
 * it, on a tick (so the axis says where it starts), and never above 90 % (the 95 % target stays in).
 */
export function accuracyFloor(lowest: number): number {
  const below = Math.min(0.9, lowest - 0.03);
  if (below <= 0) return 0;
  const step = tickStep(below);
  return Math.max(0, Math.round(Math.floor(below / step + 1e-9) * step * 100) / 100);
}

export function createTrainingView({ width = 0 }: TrainingViewOptions = {}): TrainingView {
  const CW = Math.max(MIN_CW, Math.floor(width - PANEL - GAP - 4));
  const CH = Math.max(MIN_CH, Math.min(460, Math.round(CW * 0.5)));
  const element = document.createElement("div");
  element.dataset.role = "digit-training";
  element.dataset.phase = "idle";
  Object.assign(element.style, {
    display: "flex",
    flexWrap: "wrap",
    gap: `${GAP}px`,
    alignItems: "flex-start",
    font: "16px sans-serif",
  });

  const left = document.createElement("div");
  Object.assign(left.style, {
    display: "flex",
    flexDirection: "column",
    gap: "10px",
    width: `${PANEL}px`,
  });
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.role = "digit-retrain";
  button.textContent = "Retrain from scratch";
  const bar = document.createElement("progress");
  bar.max = 1;
  bar.value = 0;
  bar.style.width = "100%";
  const text = document.createElement("div");
  text.style.fontVariantNumeric = "tabular-nums";
  // Seconds and accuracy of this machine's run: left out of the gallery's comparisons.
  text.dataset.measured = "";
  left.append(button, bar, text);

  const chart = svgEl("svg", { width: CW, height: CH, viewBox: `0 0 ${CW} ${CH}` });
  chart.setAttribute("aria-label", "held-out accuracy during training");
  const plotW = CW - M.left - M.right;
  const plotH = CH - M.top - M.bottom;
  const axes = svgEl("g", { "font-size": 16, fill: "#444" });
  // The accuracy axis starts a little below the first evaluation, not at 0 %: a run that
  // climbs from 80 % to 97 % fills the chart instead of its top fifth. The ticks say where.
  let floor = 0;
  const y = (a: number) => M.top + (plotH * (1 - a)) / (1 - floor);
  const grid = svgEl("g", {});
  const target = svgEl("line", {
    x1: M.left,
    x2: M.left + plotW,
    stroke: "#f59322",
    "stroke-dasharray": "4 3",
  });
  const drawAccuracyAxis = () => {
    const stepBy = tickStep(floor);
    grid.replaceChildren();
    for (let a = 1; a >= floor - 1e-9; a -= stepBy) {
      grid.append(
        svgEl("line", { x1: M.left, x2: M.left + plotW, y1: y(a), y2: y(a), stroke: "#eee" }),
      );
      const t = svgEl("text", { x: M.left - 6, y: y(a) + 5, "text-anchor": "end" });
      t.textContent = `${Math.round(a * 100)}%`;
      grid.append(t);
    }
    target.setAttribute("y1", String(y(TARGET)));
    target.setAttribute("y2", String(y(TARGET)));
    targetLabel.setAttribute("y", String(y(TARGET) - 6));
  };
  axes.append(grid, target);
  // At the left end: the curve starts low there, and ends near the target at the right.
  const targetLabel = svgEl("text", { x: M.left + 6, fill: "#f59322" });
  targetLabel.textContent = "95%";
  const xLabel = svgEl("text", { x: M.left + plotW / 2, y: CH - 4, "text-anchor": "middle" });
  xLabel.textContent = "seconds of training";
  const yLabel = svgEl("text", {
    x: 14,
    y: M.top + plotH / 2,
    transform: `rotate(-90 14 ${M.top + plotH / 2})`,
    "text-anchor": "middle",
  });
  yLabel.textContent = "held-out accuracy";
  const ticks = svgEl("g", { "font-size": 16, fill: "#444" });
  const path = svgEl("path", { fill: "none", stroke: "#0877bd", "stroke-width": 2 });
  const dots = svgEl("g", { fill: "#0877bd" });
  axes.append(targetLabel, xLabel, yLabel);
  drawAccuracyAxis();
  chart.append(axes, ticks, path, dots);
  chart.dataset.role = "digit-accuracy-chart";
  chart.dataset.measured = "";
  element.append(left, chart);

  const drawChart = (history: readonly AccuracyPoint[], elapsedMs: number) => {
    const span = Math.max(10, Math.ceil(elapsedMs / 10_000) * 10);
    const x = (ms: number) => M.left + (plotW * ms) / 1000 / span;
    const next = history.length ? accuracyFloor(Math.min(...history.map((p) => p.accuracy))) : 0;
    if (next !== floor) {
      floor = next;
      drawAccuracyAxis();
    }
    ticks.replaceChildren();
    const step = span <= 30 ? 5 : span <= 90 ? 15 : 30;
    for (let s = 0; s <= span; s += step) {
      // a tick at the plot's right edge ends there rather than past the chart's (and the page's)
      const anchor = s === span ? "end" : "middle";
      const t = svgEl("text", { x: x(s * 1000), y: M.top + plotH + 19, "text-anchor": anchor });
      t.textContent = String(s);
      ticks.append(t);
    }
    path.setAttribute(
      "d",
      history
        .map((p, i) => `${i ? "L" : "M"}${x(p.elapsedMs).toFixed(1)},${y(p.accuracy).toFixed(1)}`)
        .join(""),
    );
    dots.replaceChildren(
      ...history.map((p) => svgEl("circle", { cx: x(p.elapsedMs), cy: y(p.accuracy), r: 2.5 })),
    );
  };

  return {
    element,
    button,
    status(message) {
      text.textContent = message;
    },
    setRunning(running) {
      button.textContent = running ? "Stop" : "Retrain from scratch";
    },
    update(progress, backend) {
      const last = progress.history.at(-1);
      bar.value = progress.steps ? progress.step / progress.steps : 0;
      element.dataset.phase = progress.phase;
      element.dataset.step = String(progress.step);
      element.dataset.steps = String(progress.steps);
      element.dataset.accuracy = last ? String(last.accuracy) : "";
      element.dataset.history = JSON.stringify(
        progress.history.map((p) => [Math.round(p.elapsedMs), p.accuracy, p.step]),
      );
      element.dataset.backend = backend;
      const seconds = (progress.elapsedMs / 1000).toFixed(1);
      text.textContent =
        `step ${progress.step} of ${progress.steps} · epoch ${Math.min(progress.epoch + 1, progress.epochs)} of ${progress.epochs} · ` +
        `${seconds} s · held-out accuracy ${last ? (last.accuracy * 100).toFixed(1) + "%" : "–"} · ${backend}`;
      drawChart(progress.history, progress.elapsedMs);
    },
  };
}
