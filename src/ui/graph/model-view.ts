/**
 * A tf.layers model as TensorBoard draws it: the input, then one box per layer with its output
 * shape and weight count, joined by arrows labelled with the tensor that flows. A click opens a
 * layer into the operations it runs (MatMul, BiasAdd, Relu…), with the weights each one reads.
 */
import { select } from "d3";
import { formatShape } from "../../ml/graph/graph.ts";
import type { LayerBox } from "../../ml/graph/layers-graph.ts";

export interface ModelView {
  element: SVGSVGElement;
  toggle(name: string): void;
  readonly expanded: ReadonlySet<string>;
}

const ROW = 56;
const OP_ROW = 32;
const GAP = 34;

export function createModelView(
  boxes: LayerBox[],
  inputShape: Array<number | null>,
  width: number,
): ModelView {
  const expanded = new Set<string>();
  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", width)
    .attr("data-role", "model-graph")
    .style("max-width", "100%")
    .style("font", "16px sans-serif");
  const bw = Math.min(420, width - 140);
  const x0 = (width - bw) / 2;

  const draw = () => {
    svg.selectAll("*").remove();
    let y = 8;
    const input = svg.append("g").attr("transform", `translate(${x0 + bw / 4},${y})`);
    input
      .append("rect")
      .attr("width", bw / 2)
      .attr("height", 36)
      .attr("rx", 4)
      .attr("fill", "#fde2c4")
      .attr("stroke", "#444");
    input
      .append("text")
      .attr("x", bw / 4)
      .attr("y", 23)
      .attr("text-anchor", "middle")
      .text(`input ${formatShape(inputShape)}`);
    y += 36;
    let total = 0;
    for (const box of boxes) {
      total += box.params;
      const open = expanded.has(box.name);
      const h = ROW + (open ? box.ops.length * OP_ROW + 8 : 0);
      // The arrow into this layer, labelled with the tensor that flows.
      svg
        .append("line")
        .attr("x1", x0 + bw / 2)
        .attr("x2", x0 + bw / 2)
        .attr("y1", y)
        .attr("y2", y + GAP - 4)
        .attr("stroke", "#666")
        .attr("stroke-width", 2);
      y += GAP;
      const g = svg
        .append("g")
        .attr("transform", `translate(${x0},${y})`)
        .attr("data-layer", box.name)
        .attr("data-expanded", String(open))
        .style("cursor", "pointer")
        .on("click", () => toggle(box.name));
      g.append("rect")
        .attr("width", bw)
        .attr("height", h)
        .attr("rx", 10)
        .attr("fill", box.params ? "#e8f1fb" : "#f3f4f6")
        .attr("stroke", "#3b6fb6")
        .attr("stroke-width", 1.5);
      g.append("text")
        .attr("x", 12)
        .attr("y", 22)
        .attr("font-weight", "bold")
        .text(`${open ? "▾" : "▸"} ${box.name} (${box.className})`);
      g.append("text")
        .attr("x", 12)
        .attr("y", 44)
        .attr("fill", "#333")
        .text(`→ ${formatShape(box.outputShape)} · ${box.params.toLocaleString("en")} weights`);
      if (open) {
        box.ops.forEach((op, i) => {
          const oy = ROW + i * OP_ROW;
          const o = g.append("g").attr("transform", `translate(24,${oy})`).attr("data-op", op.op);
          o.append("rect")
            .attr("width", bw - 48)
            .attr("height", OP_ROW - 6)
            .attr("rx", 13)
            .attr("fill", "#fff")
            .attr("stroke", "#888");
          o.append("text")
            .attr("x", 12)
            .attr("y", 18)
            .text(
              op.weight
                ? `${op.op} ← ${op.weight.name.split("/").at(-1)} ${formatShape(op.weight.shape)}`
                : op.op,
            );
        });
      }
      y += h;
    }
    svg
      .append("text")
      .attr("x", width / 2)
      .attr("y", y + 26)
      .attr("text-anchor", "middle")
      .attr("data-role", "model-total")
      .text(
        `${total.toLocaleString("en")} weights in all · click a layer to open it into its operations`,
      );
    svg.attr("height", y + 40);
  };

  const toggle = (name: string) => {
    if (expanded.has(name)) expanded.delete(name);
    else expanded.add(name);
    draw();
  };
  draw();
  return { element: svg.node()!, toggle, expanded };
}
