/**
 * Loss against seconds of training as SVG, with a dashed line where a member joined (green),
 * left (red) or was rejected (orange), and where training switched between synchronous and
 * asynchronous (blue); each line's label is a <title>, set as text.
 */
import type { ClusterEvent } from "./room-training.ts";

const SVG = "http://www.w3.org/2000/svg";
const COLORS = {
  joined: "#188038",
  left: "#d93025",
  rejected: "#e37400",
  mode: "#1a73e8",
} as const;

export function drawLossWithEvents(
  svg: SVGSVGElement,
  history: readonly { time: number; loss: number }[],
  events: readonly ClusterEvent[],
  width = 600,
  height = 200,
): void {
  svg.replaceChildren();
  const t1 = Math.max(history.at(-1)?.time ?? 0, ...events.map((e) => e.time), 1);
  const x = (t: number) => (t / t1) * width;
  for (const event of events) {
    const tick = document.createElementNS(SVG, "line");
    tick.setAttribute("x1", x(event.time).toFixed(1));
    tick.setAttribute("x2", x(event.time).toFixed(1));
    tick.setAttribute("y1", "0");
    tick.setAttribute("y2", String(height));
    tick.setAttribute("stroke", COLORS[event.kind]);
    tick.setAttribute("stroke-dasharray", "4 3");
    tick.dataset.event = event.kind;
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${event.time.toFixed(1)} s: ${event.label}`;
    tick.append(title);
    svg.append(tick);
  }
  if (history.length < 2) return;
  // a moving average over 10 steps: one batch's loss is noisy
  const smooth: number[] = [];
  let sum = 0;
  history.forEach((r, i) => {
    sum += Number.isFinite(r.loss) ? r.loss : 10;
    if (i >= 10) sum -= Number.isFinite(history[i - 10]!.loss) ? history[i - 10]!.loss : 10;
    smooth.push(sum / Math.min(i + 1, 10));
  });
  const yMax = 2.5;
  const y = (v: number) => height - (Math.min(v, yMax) / yMax) * height;
  const every = Math.max(1, Math.floor(history.length / 600));
  const points: string[] = [];
  history.forEach((r, i) => {
    if (i % every === 0 || i === history.length - 1) {
      points.push(`${x(r.time).toFixed(1)},${y(smooth[i]!).toFixed(1)}`);
    }
  });
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", points.join(" "));
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "currentColor");
  line.setAttribute("stroke-width", "2");
  svg.append(line);
}
