/**
 * Draws a model graph (src/ml/breakthroughs/graph.ts) with d3: one box per layer with its
 * output shape, arrows along the model's own connections, one colour per Inception branch.
 */
import * as d3 from "d3";
import type { Graph } from "../../ml/breakthroughs/graph.ts";

export const BRANCH_COLOURS: Record<string, string> = {
  "1x1": "#fff2a8",
  "3x3": "#c9e4f6",
  "5x5": "#d9d2f3",
  pool: "#fde2c4",
};

export interface GraphViewOptions {
  width: number;
  /** CSS pixels of the labels (at least 14) */
  fontSize?: number;
}

export function drawGraph(graph: Graph, { width, fontSize = 15 }: GraphViewOptions): SVGSVGElement {
  const rowHeight = fontSize * 4.4;
  const boxHeight = fontSize * 2.9;
  const height = graph.levels * rowHeight;
  const columnWidth = width / graph.columns;
  const boxWidth = Math.max(40, columnWidth - 10);
  const x = (column: number) => columnWidth * (column + 0.5);
  const y = (level: number) => rowHeight * (level + 0.5);
  const at = new Map(graph.nodes.map((n) => [n.name, n]));
  const svg = d3
    .create("svg")
    .attr("width", width)
    .attr("height", height)
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img")
    .attr("aria-label", "the layers of the model and how they connect")
    .style("font", `${fontSize}px sans-serif`)
    .style("display", "block")
    .style("margin", "auto");
  const id = `arrow-${Math.random().toString(36).slice(2)}`;
  svg
    .append("defs")
    .append("marker")
    .attr("id", id)
    .attr("viewBox", "0 0 10 10")
    .attr("refX", 10)
    .attr("refY", 5)
    .attr("markerWidth", 7)
    .attr("markerHeight", 7)
    .attr("orient", "auto")
    .append("path")
    .attr("d", "M0,0L10,5L0,10z")
    .attr("fill", "#555");
  svg
    .append("g")
    .selectAll("line")
    .data(graph.edges)
    .join("line")
    .attr("x1", (e) => x(at.get(e.from)!.column))
    .attr("y1", (e) => y(at.get(e.from)!.level) + boxHeight / 2)
    .attr("x2", (e) => x(at.get(e.to)!.column))
    .attr("y2", (e) => y(at.get(e.to)!.level) - boxHeight / 2)
    .attr("stroke", "#555")
    .attr("marker-end", `url(#${id})`);
  const boxes = svg
    .append("g")
    .selectAll("g")
    .data(graph.nodes)
    .join("g")
    .attr("class", "fd-layer")
    .attr("data-layer", (n) => n.name)
    .attr("transform", (n) => `translate(${x(n.column)},${y(n.level)})`);
  boxes
    .append("rect")
    .attr("x", -boxWidth / 2)
    .attr("y", -boxHeight / 2)
    .attr("width", boxWidth)
    .attr("height", boxHeight)
    .attr("rx", 5)
    .attr("fill", (n) => (n.branch ? BRANCH_COLOURS[n.branch]! : "#eee"))
    .attr("stroke", "#444");
  boxes
    .append("text")
    .attr("text-anchor", "middle")
    .attr("y", -fontSize * 0.2)
    .text((n) => n.label);
  boxes
    .append("text")
    .attr("text-anchor", "middle")
    .attr("y", fontSize * 1.05)
    .attr("fill", "#555")
    .text((n) => n.shape.join("×"));
  boxes.append("title").text((n) => `${n.name}: ${n.params.toLocaleString("en")} weights`);
  return svg.node()!;
}
