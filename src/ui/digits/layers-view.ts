/**
 * The layered picture of the talk's slide 7 (Input → Hidden → Output (label)), drawn from a real
 * forward pass: the 28×28 input pixels, the feature maps of both convolutions, the 32 dense
 * hidden units and the ten output probabilities, with the label the network picks. Built once;
 * `update` repaints in place.
 */
import type { Activations } from "../../ml/mnist/model.ts";
import { argmax } from "./bars.ts";

const SVG = "http://www.w3.org/2000/svg";
const W = 900;
const H = 400;
const TOP = 44;

interface Placed {
  x: number;
  y: number;
  w: number;
  h: number;
}

function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A column of `n` boxes of size `s`, in `cols` sub-columns centred at `x`. */
function column(n: number, s: number, x: number, cols = 1, gap = 4): Placed[] {
  const perCol = Math.ceil(n / cols);
  const height = perCol * s + (perCol - 1) * gap;
  const y0 = TOP + (H - TOP - height) / 2;
  const width = cols * s + (cols - 1) * gap;
  return Array.from({ length: n }, (_, i) => ({
    x: x - width / 2 + Math.floor(i / perCol) * (s + gap),
    y: y0 + (i % perCol) * (s + gap),
    w: s,
    h: s,
  }));
}

function mapCanvas(place: Placed, size: number): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  Object.assign(canvas.style, {
    position: "absolute",
    left: `${place.x}px`,
    top: `${place.y}px`,
    width: `${place.w}px`,
    height: `${place.h}px`,
    imageRendering: "pixelated",
    border: "1px solid #888",
    background: "#fff",
  });
  return canvas;
}

/** Paints channel `c` of a channels-last map, darker for larger values (scaled by `max`). */
function paint(
  canvas: HTMLCanvasElement,
  data: ArrayLike<number>,
  size: number,
  channels: number,
  c: number,
  max: number,
): void {
  const context = canvas.getContext("2d")!;
  const image = context.createImageData(size, size);
  for (let p = 0; p < size * size; p++) {
    const v = max > 0 ? Math.min(1, (data[p * channels + c] ?? 0) / max) : 0;
    image.data[4 * p] = Math.round(255 - 247 * v);
    image.data[4 * p + 1] = Math.round(255 - 136 * v);
    image.data[4 * p + 2] = Math.round(255 - 66 * v);
    image.data[4 * p + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/** A line from box `i` of one column to box `j` of the next. */
interface Link {
  from: { x: number; y: number };
  to: { x: number; y: number };
  i: number;
  j: number;
}

function linkCanvas(): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  // At the screen's pixel density (at most 2×), so that half-pixel lines stay sharp.
  const ratio = Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
  canvas.width = W * ratio;
  canvas.height = H * ratio;
  canvas.dataset.role = "digit-links";
  Object.assign(canvas.style, {
    position: "absolute",
    left: "0",
    top: "0",
    width: `${W}px`,
    height: `${H}px`,
  });
  return canvas;
}

/** All links in grey, then those `strong` says in blue over them: two paths in all. */
function drawLinks(
  canvas: HTMLCanvasElement,
  links: readonly Link[],
  strong: (link: Link, n: number) => boolean,
): void {
  const context = canvas.getContext("2d");
  if (!context) return;
  const ratio = canvas.width / W;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, W, H);
  const stroke = (which: boolean, color: string, alpha: number) => {
    context.beginPath();
    links.forEach((link, n) => {
      if (strong(link, n) !== which) return;
      context.moveTo(link.from.x, link.from.y);
      context.lineTo(link.to.x, link.to.y);
    });
    context.strokeStyle = color;
    context.globalAlpha = alpha;
    context.lineWidth = 0.5;
    context.stroke();
  };
  stroke(false, "#bbb", 0.6);
  stroke(true, "#0877bd", 0.8);
  context.globalAlpha = 1;
}

function maxOf(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, values[i] ?? 0);
  return m;
}

export interface LayersView {
  element: HTMLElement;
  update(activations: Activations | undefined): void;
}

export function createLayersView(): LayersView {
  const element = document.createElement("div");
  element.dataset.role = "digit-layers";
  Object.assign(element.style, {
    position: "relative",
    width: `${W}px`,
    height: `${H}px`,
    font: "16px sans-serif",
  });
  const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}` });
  Object.assign(svg.style, { position: "absolute", left: "0", top: "0" });
  element.append(svg);

  const input = column(1, 140, 90)[0]!;
  const conv1 = column(8, 36, 250);
  const conv2 = column(16, 26, 390, 2);
  const hidden = column(32, 14, 540, 2, 6);
  const output = column(10, 22, 660, 1, 8);
  const centre = (p: Placed, side: "left" | "right") => ({
    x: side === "left" ? p.x : p.x + p.w,
    y: p.y + p.h / 2,
  });
  // About 970 links: one canvas (two paths), not as many SVG elements for style, layout and
  // reveal's walk of the page to go through on every key press.
  const links: Link[] = [];
  const connect = (from: Placed[], to: Placed[]) =>
    to.forEach((b, j) =>
      from.forEach((a, i) => links.push({ from: centre(a, "right"), to: centre(b, "left"), i, j })),
    );
  connect([input], conv1);
  connect(conv1, conv2);
  connect(conv2, hidden);
  const firstToOutput = links.length;
  connect(hidden, output);
  const linksCanvas = linkCanvas();
  element.prepend(linksCanvas);
  drawLinks(linksCanvas, links, () => false);

  const titles: Array<[string, number]> = [
    ["Input (pixels)", 90],
    ["Hidden: 8 filters", 250],
    ["Hidden: 16 filters", 390],
    ["Hidden: 32 units", 540],
    ["Output (label)", 700],
  ];
  for (const [text, x] of titles) {
    const t = svgEl("text", { x, y: 18, "text-anchor": "middle", "font-weight": "bold" });
    t.textContent = text;
    svg.append(t);
  }

  const inputCanvas = mapCanvas(input, 28);
  const conv1Canvases = conv1.map((p) => mapCanvas(p, 24));
  const conv2Canvases = conv2.map((p) => mapCanvas(p, 8));
  element.append(inputCanvas, ...conv1Canvases, ...conv2Canvases);

  const units = hidden.map((p) => {
    const c = svgEl("circle", {
      cx: p.x + p.w / 2,
      cy: p.y + p.h / 2,
      r: p.w / 2,
      fill: "#fff",
      stroke: "#666",
    });
    svg.append(c);
    return c;
  });
  const outputs = output.map((p, digit) => {
    const c = svgEl("circle", {
      cx: p.x + p.w / 2,
      cy: p.y + p.h / 2,
      r: p.w / 2,
      fill: "#fff",
      stroke: "#666",
    });
    const bar = svgEl("rect", {
      x: p.x + p.w + 22,
      y: p.y + 4,
      width: 0,
      height: p.h - 8,
      fill: "#9ab",
    });
    const label = svgEl("text", { x: p.x + p.w + 6, y: p.y + p.h / 2 + 5 });
    label.textContent = String(digit);
    svg.append(c, bar, label);
    return { c, bar };
  });
  const answer = svgEl("text", {
    x: 855,
    y: TOP + (H - TOP) / 2 + 14,
    "text-anchor": "middle",
    "font-size": 40,
  });
  answer.dataset.role = "digit-label";
  svg.append(answer);

  const update = (a: Activations | undefined) => {
    const empty = !a || maxOf(a.input) === 0;
    element.dataset.empty = String(empty);
    if (!a) return;
    paint(inputCanvas, a.input, 28, 1, 0, 1);
    const m1 = maxOf(a.conv1.data);
    conv1Canvases.forEach((canvas, c) =>
      paint(canvas, a.conv1.data, a.conv1.size, a.conv1.channels, c, m1),
    );
    const m2 = maxOf(a.conv2.data);
    conv2Canvases.forEach((canvas, c) =>
      paint(canvas, a.conv2.data, a.conv2.size, a.conv2.channels, c, m2),
    );
    const mh = maxOf(a.hidden);
    units.forEach((circle, i) => {
      const v = mh > 0 ? (a.hidden[i] ?? 0) / mh : 0;
      circle.setAttribute("fill", `rgba(8, 119, 189, ${v.toFixed(3)})`);
    });
    const best = argmax(a.probabilities);
    outputs.forEach(({ c, bar }, digit) => {
      const p = a.probabilities[digit] ?? 0;
      c.setAttribute("fill", `rgba(8, 119, 189, ${p.toFixed(3)})`);
      bar.setAttribute("width", (110 * p).toFixed(1));
      bar.setAttribute("fill", digit === best ? "#0877bd" : "#9ab");
    });
    drawLinks(
      linksCanvas,
      links,
      (link, n) => !empty && n >= firstToOutput && link.j === best && (a.hidden[link.i] ?? 0) > 0,
    );
    answer.textContent = empty ? "" : `“${best}”`;
    element.dataset.prediction = empty ? "" : String(best);
    element.dataset.version = String(Number(element.dataset.version ?? 0) + 1);
  };
  return { element, update };
}
