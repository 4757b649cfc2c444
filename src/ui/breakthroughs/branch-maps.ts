/**
 * The feature maps of each Inception branch for one digit: a column per branch (1×1, 3×3, 5×5,
 * pool), the first few maps of its last layer as small greyscale pictures, and the network's
 * answer. Built once, updated in place; `data-answer` on the root carries the label for tests.
 */
import type { BranchView, FeatureMaps } from "../../ml/breakthroughs/inception-net.ts";
import { BRANCH_COLOURS } from "./graph-view.ts";

const TITLES: Record<string, string> = {
  "1x1": "1×1",
  "3x3": "1×1 → 3×3",
  "5x5": "1×1 → 5×5",
  pool: "max pool → 1×1",
};

export interface BranchMapsView {
  element: HTMLElement;
  update(view: BranchView | undefined): void;
}

/** One map (channel `c` of `maps`) into a canvas, scaled to its own largest value. */
function paint(canvas: HTMLCanvasElement, maps: FeatureMaps, c: number): void {
  const { size, channels, data } = maps;
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d")!;
  const pixels = context.createImageData(size, size);
  let top = 1e-6;
  for (let p = 0; p < size * size; p++) top = Math.max(top, data[p * channels + c]!);
  for (let p = 0; p < size * size; p++) {
    const v = 255 - Math.round((255 * Math.max(0, data[p * channels + c]!)) / top);
    pixels.data.set([v, v, v, 255], p * 4);
  }
  context.putImageData(pixels, 0, 0);
}

export function createBranchMaps({ perBranch = 6, mapSize = 44 } = {}): BranchMapsView {
  const element = document.createElement("div");
  element.dataset.role = "inception-maps";
  Object.assign(element.style, {
    display: "flex",
    gap: "14px",
    alignItems: "flex-start",
    justifyContent: "center",
    font: "15px sans-serif",
  });
  const input = document.createElement("canvas");
  Object.assign(input.style, {
    width: `${2 * mapSize}px`,
    height: `${2 * mapSize}px`,
    imageRendering: "pixelated",
    border: "1px solid #999",
    alignSelf: "center",
  });
  input.dataset.role = "inception-input";
  element.append(input);
  const columns = new Map<string, { box: HTMLElement; canvases: HTMLCanvasElement[] }>();
  for (const branch of Object.keys(TITLES)) {
    const box = document.createElement("div");
    box.dataset.branch = branch;
    Object.assign(box.style, {
      background: BRANCH_COLOURS[branch],
      padding: "6px",
      borderRadius: "6px",
      textAlign: "center",
      width: `${2 * mapSize + 10}px`,
    });
    const title = document.createElement("div");
    title.textContent = TITLES[branch]!;
    const grid = document.createElement("div");
    Object.assign(grid.style, { display: "grid", gridTemplateColumns: "1fr 1fr", gap: "4px" });
    const canvases = Array.from({ length: perBranch }, () => {
      const canvas = document.createElement("canvas");
      Object.assign(canvas.style, {
        width: `${mapSize}px`,
        height: `${mapSize}px`,
        imageRendering: "pixelated",
        background: "#fff",
      });
      grid.append(canvas);
      return canvas;
    });
    box.append(title, grid);
    element.append(box);
    columns.set(branch, { box, canvases });
  }
  const answer = document.createElement("div");
  Object.assign(answer.style, { alignSelf: "center", fontSize: "18px", minWidth: "110px" });
  element.append(answer);

  return {
    element,
    update(view) {
      if (!view) {
        answer.textContent = "draw a digit";
        delete element.dataset.answer;
        return;
      }
      paint(input, view.input, 0);
      for (const maps of view.branches) {
        const column = maps.branch && columns.get(maps.branch);
        if (!column) continue;
        column.box.title = `${maps.name}: ${maps.channels} maps of ${maps.size}×${maps.size}`;
        column.canvases.forEach((canvas, c) => {
          if (c < maps.channels) paint(canvas, maps, c);
        });
      }
      const p = view.probabilities;
      let best = 0;
      for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
      element.dataset.answer = String(best);
      answer.innerHTML = "";
      const big = document.createElement("div");
      big.style.fontSize = "56px";
      big.textContent = String(best);
      answer.append(big, `${(p[best]! * 100).toFixed(0)} % sure`);
    },
  };
}
