/**
 * The network as a picture: input features (click to switch one on or off), hidden layers with
 * +/− buttons for layers and neurons, each neuron showing its own output over the plane, and a
 * link per weight whose width and colour follow the weight, with its value on hover.
 */
import { FEATURES, type FeatureId } from "../../ml/playground/features.ts";
import { gridPoint } from "../../ml/playground/grid.ts";
import { LIMITS } from "../../ml/playground/config.ts";
import { fitScale, linkColor, linkWidth } from "./colors.ts";
import { GridCanvas } from "./heatmap.ts";
import { linkPath, networkLayout, type PictureSize } from "./layout.ts";

const SVG = "http://www.w3.org/2000/svg";

export interface NetworkActions {
  toggleFeature(id: FeatureId): void;
  addLayer(): void;
  removeLayer(): void;
  addNeuron(layer: number): void;
  removeNeuron(layer: number): void;
}

interface LinkElements {
  visible: SVGPathElement;
  index: number;
  /** what the link shows now: a style is written only when it changes (each write restyles) */
  width: string;
  color: string;
}

/** A feature's values over the thumbnail grid (fixed: computed once per feature and size). */
function featureGrid(id: FeatureId, n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const { x, y } = gridPoint(row, col, n);
      out[row * n + col] = FEATURES[id].fn(x, y);
    }
  }
  return out;
}

function button(label: string, title: string, onClick: () => void, disabled = false) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "pg-small-button";
  b.textContent = label;
  b.title = title;
  b.setAttribute("aria-label", title);
  b.disabled = disabled;
  b.addEventListener("click", onClick);
  return b;
}

export class NetworkView {
  readonly element: HTMLElement;
  readonly #size: PictureSize;
  readonly #thumbSize: number;
  readonly #gridSize: number;
  readonly #actions: NetworkActions;
  readonly #tooltip: HTMLElement;
  #links: LinkElements[] = [];
  /** hidden neurons' canvases, layer by layer */
  #thumbs: GridCanvas[][] = [];
  #output: GridCanvas | undefined;
  #weights: Float32Array | undefined;
  #key = "";

  constructor(size: PictureSize, thumbSize: number, gridSize: number, actions: NetworkActions) {
    this.#size = size;
    this.#thumbSize = thumbSize;
    this.#gridSize = gridSize;
    this.#actions = actions;
    this.element = document.createElement("div");
    this.element.className = "pg-network";
    this.element.style.width = `${size.width}px`;
    this.element.style.height = `${size.height}px`;
    this.#tooltip = document.createElement("div");
    this.#tooltip.className = "pg-tooltip";
    this.#tooltip.hidden = true;
  }

  /** Rebuilds the picture for an architecture (a no-op when it did not change). */
  build(features: readonly FeatureId[], hiddenLayers: readonly number[]): void {
    const key = `${features.join(",")}|${hiddenLayers.join(",")}`;
    if (key === this.#key) return;
    this.#key = key;
    this.#weights = undefined;
    const size = this.#size;
    const layout = networkLayout(features, hiddenLayers, size);
    const root = this.element;
    root.replaceChildren();

    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "pg-links");
    svg.setAttribute("width", String(size.width));
    svg.setAttribute("height", String(size.height));
    this.#links = layout.links.map((link) => {
      const d = linkPath(link);
      const visible = document.createElementNS(SVG, "path");
      visible.setAttribute("d", d);
      visible.setAttribute("class", "pg-link");
      const hit = document.createElementNS(SVG, "path");
      hit.setAttribute("d", d);
      hit.setAttribute("class", "pg-link-hit");
      hit.dataset.link = `${link.layer}:${link.from}:${link.to}`;
      hit.addEventListener("pointerenter", (e) =>
        this.#showTip(e, () => {
          const w = this.#weights?.[link.index];
          return `weight ${w === undefined ? "–" : w.toFixed(3)}`;
        }),
      );
      hit.addEventListener("pointermove", (e) => this.#moveTip(e));
      hit.addEventListener("pointerleave", () => (this.#tooltip.hidden = true));
      svg.append(visible, hit);
      return { visible, index: link.index, width: "", color: "" };
    });
    root.append(svg);

    // column headings with their +/− buttons
    const layers = hiddenLayers.length;
    const head = document.createElement("div");
    head.className = "pg-layers-head";
    head.append(
      button(
        "+",
        "add a hidden layer",
        () => this.#actions.addLayer(),
        layers >= LIMITS.layers.max,
      ),
      button(
        "−",
        "remove a hidden layer",
        () => this.#actions.removeLayer(),
        layers <= LIMITS.layers.min,
      ),
      Object.assign(document.createElement("span"), {
        className: "pg-layers-count",
        textContent: `${layers} hidden layer${layers === 1 ? "" : "s"}`,
      }),
    );
    root.append(head);
    const label = (text: string, x: number) => {
      const el = document.createElement("div");
      el.className = "pg-column-label";
      el.style.left = `${x}px`;
      el.textContent = text;
      root.append(el);
      return el;
    };
    label("features", layout.columns[0] as number);
    hiddenLayers.forEach((units, l) => {
      const el = label(`${units} neuron${units === 1 ? "" : "s"}`, layout.columns[l + 1] as number);
      el.classList.add("pg-hidden-label");
      const buttons = document.createElement("div");
      buttons.className = "pg-neuron-buttons";
      buttons.dataset.layer = String(l);
      buttons.append(
        button(
          "+",
          `add a neuron to layer ${l + 1}`,
          () => this.#actions.addNeuron(l),
          units >= LIMITS.neurons.max,
        ),
        button(
          "−",
          `remove a neuron from layer ${l + 1}`,
          () => this.#actions.removeNeuron(l),
          units <= LIMITS.neurons.min,
        ),
      );
      el.prepend(buttons);
    });
    label("output", layout.columns[layout.columns.length - 1] as number);

    // nodes
    const half = size.node / 2;
    const place = (el: HTMLElement, x: number, y: number) => {
      el.style.left = `${x - half}px`;
      el.style.top = `${y - half}px`;
      el.style.width = `${size.node}px`;
      el.style.height = `${size.node}px`;
    };
    for (const node of layout.nodes[0] ?? []) {
      const id = node.feature as FeatureId;
      const el = document.createElement("button");
      el.type = "button";
      el.className = "pg-node pg-input";
      el.dataset.feature = id;
      el.setAttribute("aria-pressed", String(node.unit >= 0));
      el.title = `${FEATURES[id].label}: click to ${node.unit >= 0 ? "remove" : "add"} this input`;
      const grid = featureGrid(id, this.#thumbSize);
      const canvas = new GridCanvas(this.#thumbSize, size.node, "pg-thumb");
      canvas.paint(grid, false, fitScale(grid));
      el.append(canvas.element);
      const name = document.createElement("span");
      name.className = "pg-input-name";
      name.textContent = FEATURES[id].label;
      el.append(name);
      el.addEventListener("click", () => this.#actions.toggleFeature(id));
      place(el, node.x, node.y);
      root.append(el);
    }
    this.#thumbs = [];
    const last = layout.nodes.length - 1;
    layout.nodes.slice(1).forEach((column, c) => {
      const canvases: GridCanvas[] = [];
      for (const node of column) {
        const el = document.createElement("div");
        el.className = c + 1 === last ? "pg-node pg-output-node" : "pg-node pg-neuron";
        el.dataset.node = `${c}:${node.unit}`;
        const isOutput = c + 1 === last;
        const canvas = new GridCanvas(
          isOutput ? this.#gridSize : this.#thumbSize,
          size.node,
          "pg-thumb",
        );
        el.append(canvas.element);
        const biasIndex = (layout.biasOffsets[c] as number) + node.unit;
        el.addEventListener("pointerenter", (e) =>
          this.#showTip(e, () => {
            const b = this.#weights?.[biasIndex];
            return `bias ${b === undefined ? "–" : b.toFixed(3)}`;
          }),
        );
        el.addEventListener("pointermove", (e) => this.#moveTip(e));
        el.addEventListener("pointerleave", () => (this.#tooltip.hidden = true));
        place(el, node.x, node.y);
        root.append(el);
        if (isOutput) this.#output = canvas;
        else canvases.push(canvas);
      }
      if (c + 1 !== last) this.#thumbs.push(canvases);
    });
    root.append(this.#tooltip);
  }

  /** Draws a snapshot's weights and neuron outputs (its architecture must be the one built). */
  update(weights: Float32Array, neurons: Float32Array, output: Float32Array, discretize: boolean) {
    this.#weights = weights;
    for (const link of this.#links) {
      const w = weights[link.index] ?? 0;
      const width = linkWidth(w).toFixed(1);
      const color = linkColor(w);
      if (width !== link.width) link.visible.style.strokeWidth = link.width = width;
      if (color !== link.color) link.visible.style.stroke = link.color = color;
    }
    const t2 = this.#thumbSize * this.#thumbSize;
    let at = 0;
    for (const layer of this.#thumbs) {
      for (const canvas of layer) {
        canvas.paint(neurons.subarray(at, at + t2));
        at += t2;
      }
    }
    this.#output?.paint(output, discretize);
  }

  /** The element's own pixels per screen pixel: reveal scales slides with a CSS transform. */
  #local(event: PointerEvent): { x: number; y: number } {
    const rect = this.element.getBoundingClientRect();
    const scale = rect.width / (this.element.offsetWidth || rect.width || 1);
    return { x: (event.clientX - rect.left) / scale, y: (event.clientY - rect.top) / scale };
  }

  #showTip(event: PointerEvent, text: () => string): void {
    this.#tooltip.textContent = text();
    this.#tooltip.hidden = false;
    this.#moveTip(event);
  }

  #moveTip(event: PointerEvent): void {
    const { x, y } = this.#local(event);
    this.#tooltip.style.left = `${x + 12}px`;
    this.#tooltip.style.top = `${y + 12}px`;
  }
}
