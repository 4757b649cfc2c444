/**
 * A tensor drawn with its values (SVG, d3): every element a square in the place geometry.ts
 * gives it, coloured by value, with the number written when the square is large enough to hold
 * 14 px text. Pointing at an element reports its index; `show` moves elements from where their
 * source was to where they land, so a reshape or transpose is seen as the same values moving.
 */
import { interpolateRgb, scaleLinear, select } from "d3";
import { place, type Placement } from "./geometry.ts";

export interface Drawn {
  shape: number[];
  values: ArrayLike<number>;
  /** for each element, the flat offset of the element it came from in the previous drawing */
  sources?: ArrayLike<number>;
  /** "rgb": planes of a [h, w, 3] image tinted red, green, blue */
  tint?: "rgb" | "grey" | "diverging";
  /** labels for the rows of a matrix (a sentence's words) */
  rowLabels?: string[];
}

export interface TensorView {
  element: SVGSVGElement;
  show(drawn: Drawn, animate?: boolean): void;
  highlight(k: number | undefined): void;
  readonly placement: Placement | undefined;
}

const TINTS = ["#d62728", "#2ca02c", "#1f77b4"];
const MIN_TEXT = 16;

function format(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 10
    ? v.toFixed(0)
    : v.toFixed(Math.abs(v) >= 1 ? 1 : 2).replace(/^(-?)0\./, "$1.");
}

export function createTensorView(options: {
  width: number;
  height: number;
  onHover: (k: number | undefined) => void;
}): TensorView {
  const labelWidth = 70;
  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", options.width)
    .attr("height", options.height)
    .attr("data-role", "tensor-picture")
    .style("max-width", "100%")
    .style("font", `${MIN_TEXT}px var(--fd-mono, monospace)`)
    .style("touch-action", "none");
  const labels = svg.append("g");
  const body = svg.append("g");
  let placement: Placement | undefined;
  let previous: Placement | undefined;

  const colour = (d: Drawn) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < d.values.length; i++) {
      lo = Math.min(lo, d.values[i]!);
      hi = Math.max(hi, d.values[i]!);
    }
    if (!(hi > lo)) hi = lo + 1;
    if (d.tint === "rgb") {
      return (v: number, plane: number) =>
        interpolateRgb("#fff", TINTS[plane % 3]!)((v - lo) / (hi - lo));
    }
    if (d.tint === "diverging") {
      const m = Math.max(Math.abs(lo), Math.abs(hi));
      const s = scaleLinear<string>().domain([-m, 0, m]).range(["#b2182b", "#f7f7f7", "#2166ac"]);
      return (v: number) => s(v);
    }
    const s = scaleLinear<string>()
      .domain([lo, hi])
      .range(d.tint === "grey" ? ["#fff", "#222"] : ["#f1f5fb", "#3b6fb6"]);
    return (v: number) => s(v);
  };

  const show = (drawn: Drawn, animate = false) => {
    const hasLabels = !!drawn.rowLabels?.length;
    const next = place(
      drawn.shape,
      options.width - 4 - (hasLabels ? labelWidth : 0),
      options.height - 4,
    );
    const from = previous && animate && drawn.sources ? previous : undefined;
    const fill = colour(drawn);
    const cell = next.cell;
    const showText = cell >= MIN_TEXT * 1.9;
    const items = Array.from(drawn.values, (v, k) => {
      const p = next.at(k);
      const src = drawn.sources?.[k];
      const start = from && src !== undefined && src >= 0 ? from.at(src) : undefined;
      return { k, v, ...p, start };
    }).sort((a, b) => b.depth - a.depth); // back planes first
    body.attr("transform", `translate(${2 + (hasLabels ? labelWidth : 0)},2)`);
    labels
      .selectAll("text")
      .data(hasLabels ? drawn.rowLabels! : [])
      .join("text")
      .attr("x", labelWidth - 6)
      .attr("y", (_, i) => 2 + (i + 0.5) * cell)
      .attr("text-anchor", "end")
      .attr("dominant-baseline", "central")
      .text((s) => s);
    const groups = body
      .selectAll<SVGGElement, (typeof items)[number]>("g.el")
      .data(items, (d) => String(d.k))
      .join((enter) => {
        const g = enter.append("g").attr("class", "el");
        g.append("rect");
        g.append("text")
          .attr("text-anchor", "middle")
          .attr("dominant-baseline", "central")
          .style("pointer-events", "none");
        return g;
      })
      .attr("data-k", (d) => d.k)
      .attr("data-plane", (d) => d.plane)
      .order();
    const oldCell = from?.cell ?? cell;
    groups
      .attr("transform", (d) =>
        d.start ? `translate(${d.start.x},${d.start.y})` : `translate(${d.x},${d.y})`,
      )
      .style("opacity", (d) => (from && !d.start ? 0 : 1));
    groups
      .select("rect")
      .attr("width", (d) => (d.start ? oldCell : cell) - 1)
      .attr("height", (d) => (d.start ? oldCell : cell) - 1)
      .attr("fill", (d) => fill(d.v, d.depth))
      .attr("stroke", "#fff")
      .attr("stroke-width", cell > 6 ? 1 : 0);
    groups
      .select("text")
      .attr("x", (cell - 1) / 2)
      .attr("y", (cell - 1) / 2)
      .style("font-size", `${Math.max(MIN_TEXT, Math.min(20, cell * 0.42))}px`)
      .attr("fill", "#111")
      .text((d) => (showText ? format(d.v) : ""));
    if (from) {
      const t = groups
        .transition()
        .duration(700)
        .delay((d) => Math.min(300, d.k * 4));
      t.attr("transform", (d) => `translate(${d.x},${d.y})`).style("opacity", 1);
      t.select("rect")
        .attr("width", cell - 1)
        .attr("height", cell - 1);
    }
    svg.attr("height", Math.min(options.height, next.height + 6));
    previous = next;
    placement = next;
  };

  const highlight = (k: number | undefined) => {
    body
      .selectAll<SVGGElement, { k: number }>("g.el")
      .select("rect")
      .attr("stroke", (d) => (d.k === k ? "#f59322" : "#fff"))
      .attr("stroke-width", (d) => (d.k === k ? 3 : (placement?.cell ?? 0) > 6 ? 1 : 0));
    if (k === undefined) return;
    // Bring the pointed plane of a cube to the front, so that all its numbers show.
    const plane = body.select<SVGGElement>(`g.el[data-k="${k}"]`).attr("data-plane");
    body.selectAll<SVGGElement, unknown>(`g.el[data-plane="${plane}"]`).raise();
    body.select<SVGGElement>(`g.el[data-k="${k}"]`).raise();
  };

  const pick = (event: PointerEvent) => {
    const target = (event.target as Element).closest?.("g.el");
    const k = target ? Number(target.getAttribute("data-k")) : undefined;
    options.onHover(k);
  };
  svg
    .on("pointermove", pick)
    .on("pointerdown", pick)
    .on("pointerleave", () => options.onHover(undefined));

  return {
    element: svg.node()!,
    show,
    highlight,
    get placement() {
      return placement;
    },
  };
}
