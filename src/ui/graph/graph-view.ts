/**
 * A dataflow graph drawn with d3, left to right in columns by depth: placeholders (orange),
 * variables (blue), constants (grey) and operations (rounded) as nodes, tensors as arrows
 * labelled with their shape and dtype. `light` marks a node as computed, with a short summary
 * of its value, so a session's run can be watched node by node.
 */
import { select } from "d3";
import { formatShape, type Graph, type GraphNode } from "../../ml/graph/graph.ts";

export interface GraphView {
  element: SVGSVGElement;
  light(id: string, summary: string): void;
  /** the node being computed now (outlined), or none */
  current(id: string | undefined): void;
  reset(): void;
}

const FILL: Record<GraphNode["kind"], string> = {
  placeholder: "#fde2c4",
  variable: "#c9e4f6",
  constant: "#e5e7eb",
  operation: "#ffffff",
};

let counter = 0;

export function createGraphView(graph: Graph, width: number): GraphView {
  const depth = graph.depths();
  const columns = Math.max(...depth.values()) + 1;
  const byColumn = new Map<number, GraphNode[]>();
  for (const n of graph.all)
    byColumn.set(depth.get(n.id)!, [...(byColumn.get(depth.get(n.id)!) ?? []), n]);
  const tallest = Math.max(...[...byColumn.values()].map((c) => c.length));
  const bw = Math.max(64, Math.min(110, width / columns - 36));
  const bh = 50;
  const height = Math.max(200, tallest * (bh + 28) + 16);
  const pos = new Map<string, { x: number; y: number }>();
  for (const [d, nodes] of byColumn) {
    nodes.forEach((n, i) =>
      pos.set(n.id, { x: ((d + 0.5) * width) / columns, y: ((i + 0.5) * height) / nodes.length }),
    );
  }
  const marker = `graph-arrow-${++counter}`;
  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", width)
    .attr("height", height)
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("data-role", "dataflow-graph")
    .style("max-width", "100%")
    .style("font", "16px sans-serif");
  svg
    .append("defs")
    .append("marker")
    .attr("id", marker)
    .attr("viewBox", "0 0 10 10")
    .attr("refX", 10)
    .attr("refY", 5)
    .attr("markerWidth", 7)
    .attr("markerHeight", 7)
    .attr("orient", "auto")
    .append("path")
    .attr("d", "M0,0L10,5L0,10z")
    .attr("fill", "#555");

  const edges = svg
    .append("g")
    .selectAll("g")
    .data(graph.edges)
    .join("g")
    .attr("data-edge", (e) => `${e.from}->${e.to}`);
  edges
    .append("path")
    .attr("d", (e) => {
      const a = pos.get(e.from)!;
      const b = pos.get(e.to)!;
      const x1 = a.x + bw / 2;
      const x2 = b.x - bw / 2;
      const mx = (x1 + x2) / 2;
      return `M${x1},${a.y}C${mx},${a.y} ${mx},${b.y} ${x2},${b.y}`;
    })
    .attr("fill", "none")
    .attr("stroke", "#777")
    .attr("stroke-width", 1.5)
    .attr("marker-end", `url(#${marker})`);
  // A label sits above a straight edge (clear of the boxes), and early along a curved one,
  // where curves into the same node have not met yet.
  const labelAt = (e: { from: string; to: string }) => {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const x1 = a.x + bw / 2;
    const x2 = b.x - bw / 2;
    if (Math.abs(a.y - b.y) < 1) return { x: (x1 + x2) / 2, y: a.y - bh / 2 - 8 };
    const t = 0.3;
    return { x: x1 + (x2 - x1) * t, y: a.y + (b.y - a.y) * (3 * t * t - 2 * t * t * t) - 6 };
  };
  edges
    .append("text")
    .attr("x", (e) => labelAt(e).x)
    .attr("y", (e) => labelAt(e).y)
    .attr("text-anchor", "middle")
    .attr("fill", "#444")
    .attr("paint-order", "stroke")
    .attr("stroke", "#fff")
    .attr("stroke-width", 4)
    .text((e) => `${formatShape(e.shape)} ${e.dtype === "float32" ? "f32" : e.dtype}`);

  const nodes = svg
    .append("g")
    .selectAll("g")
    .data(graph.all)
    .join("g")
    .attr("data-node", (n) => n.id)
    .attr("data-kind", (n) => n.kind)
    .attr(
      "transform",
      (n) => `translate(${pos.get(n.id)!.x - bw / 2},${pos.get(n.id)!.y - bh / 2})`,
    );
  nodes
    .append("title")
    .text((n) => `${n.id}: ${n.op}${n.kind === "placeholder" ? " (fed when the graph runs)" : ""}`);
  nodes
    .append("rect")
    .attr("width", bw)
    .attr("height", bh)
    .attr("rx", (n) => (n.kind === "operation" ? bh / 2 : 4))
    .attr("fill", (n) => FILL[n.kind])
    .attr("stroke", "#444")
    .attr("stroke-width", 1.5);
  nodes
    .append("text")
    .attr("x", bw / 2)
    .attr("y", 19)
    .attr("text-anchor", "middle")
    .attr("font-weight", "bold")
    .text((n) => (n.kind === "operation" ? n.op : n.id));
  const values = nodes
    .append("text")
    .attr("class", "value")
    .attr("x", bw / 2)
    .attr("y", 38)
    .attr("text-anchor", "middle")
    .text((n) => (n.kind === "operation" ? (n.id === n.op ? "" : n.id) : n.kind));

  const initial = new Map(
    graph.all.map((n) => [n.id, n.kind === "operation" ? (n.id === n.op ? "" : n.id) : n.kind]),
  );
  return {
    element: svg.node()!,
    light(id, summary) {
      const g = nodes.filter((n) => n.id === id);
      g.attr("data-computed", "true");
      g.select("rect")
        .attr("fill", (n) => (n.kind === "operation" ? "#fff3b0" : FILL[n.kind]))
        .attr("stroke-width", 3);
      g.select("text.value").text(summary);
    },
    current(id) {
      nodes.select("rect").attr("stroke", (n) => (n.id === id ? "#f59322" : "#444"));
    },
    reset() {
      nodes.attr("data-computed", null);
      nodes
        .select("rect")
        .attr("fill", (n) => FILL[n.kind])
        .attr("stroke-width", 1.5)
        .attr("stroke", "#444");
      values.text((n) => initial.get(n.id) ?? "");
    },
  };
}
