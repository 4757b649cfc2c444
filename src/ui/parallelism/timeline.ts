/**
 * A Gantt chart of what each pipeline stage did during one step: forward (F), backward (B),
 * a last stage's forward and backward in one (F+B), data-parallel gradient (G), and the idle
 * gaps between, the "bubble". Drawn as SVG from measured events, text at 16 px: a slide stacks
 * five of these, so each is short (a title line, a row per stage) and only the last needs an axis.
 */
import { bubble, type StageEvent } from "../../ml/parallelism/pipeline.ts";

const COLORS: Record<StageEvent["kind"], string> = {
  F: "#0877bd",
  B: "#f59322",
  FB: "#7b4fa8",
  G: "#2a9d8f",
};
const LABELS: Record<StageEvent["kind"], string> = {
  F: "forward",
  B: "backward",
  FB: "forward + backward",
  G: "gradient",
};

const NS = "http://www.w3.org/2000/svg";
function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface TimelineOptions {
  width: number;
  /** rows, one per stage or worker */
  rows: readonly string[];
  /** a title above the bars */
  title?: string;
  /** a fixed time axis in ms (so several timelines compare); default: this step's span */
  spanMs?: number;
  /** draw the time axis under the bars (default true; a stack of timelines with one span needs it once) */
  axis?: boolean;
}

/** An SVG element for `events`; `data-idle` holds the measured idle fraction. */
export function timelineView(
  events: readonly StageEvent[],
  options: TimelineOptions,
): SVGSVGElement {
  const { width, rows } = options;
  const left = 96;
  const rowHeight = 26;
  const axis = options.axis ?? true;
  const top = options.title ? 22 : 4;
  const height = top + rows.length * rowHeight + (axis ? 22 : 2);
  const svg = el("svg", {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "font-family": "system-ui, sans-serif",
    "font-size": 16,
  });
  const b = bubble(events, rows.length);
  svg.dataset.role = "pipeline-timeline";
  svg.dataset.idle = b.idle.toFixed(4);
  svg.dataset.span = b.span.toFixed(2);
  const t0 = events.length ? Math.min(...events.map((e) => e.t0)) : 0;
  const span = Math.max(1e-3, options.spanMs ?? b.span);
  const x = (t: number) => left + ((t - t0) / span) * (width - left - 8);
  if (options.title) svg.append(el("text", { x: left, y: 17 }, options.title));
  rows.forEach((name, r) => {
    const y = top + r * rowHeight;
    svg.append(
      el("rect", {
        x: left,
        y: y + 3,
        width: width - left - 8,
        height: rowHeight - 6,
        fill: "#eee",
      }),
    );
    svg.append(el("text", { x: left - 8, y: y + rowHeight / 2 + 5, "text-anchor": "end" }, name));
  });
  for (const e of events) {
    const y = top + e.stage * rowHeight;
    const w = Math.max(1, x(e.t1) - x(e.t0));
    const bar = el("rect", {
      x: x(e.t0),
      y: y + 3,
      width: w,
      height: rowHeight - 6,
      fill: COLORS[e.kind],
    });
    bar.append(
      el(
        "title",
        {},
        `${LABELS[e.kind]}, micro-batch ${e.micro + 1}: ${(e.t1 - e.t0).toFixed(1)} ms`,
      ),
    );
    svg.append(bar);
    if (w > 34) {
      svg.append(
        el(
          "text",
          { x: x(e.t0) + w / 2, y: y + rowHeight / 2 + 5, "text-anchor": "middle", fill: "white" },
          `${e.kind === "FB" ? "" : e.kind}${e.micro + 1}`,
        ),
      );
    }
  }
  if (!axis) return svg;
  const axisY = top + rows.length * rowHeight + 18;
  svg.append(el("text", { x: left, y: axisY }, "0"));
  svg.append(el("text", { x: width - 8, y: axisY, "text-anchor": "end" }, `${span.toFixed(0)} ms`));
  svg.append(
    el("text", { x: (left + width) / 2, y: axisY, "text-anchor": "middle" }, "time in the step"),
  );
  return svg;
}

/** The colour key, as HTML. */
export function timelineLegend(kinds: ReadonlyArray<StageEvent["kind"]>): HTMLElement {
  const div = document.createElement("div");
  div.style.cssText = "display:flex;gap:16px;justify-content:center;font-size:18px;flex-wrap:wrap";
  for (const k of kinds) {
    const item = document.createElement("span");
    item.innerHTML = `<span style="display:inline-block;width:14px;height:14px;background:${COLORS[k]};vertical-align:-2px"></span> `;
    item.append(LABELS[k]);
    div.append(item);
  }
  return div;
}
