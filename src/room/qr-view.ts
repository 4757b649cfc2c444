/**
 * The join QR code, drawn locally (the `qrcode` package encodes; this draws one SVG path) and
 * sized for a projector: crisp square modules scaled to fill the space given, a white quiet zone
 * of four modules that survives dark slide themes, and the URL printed under it as text for
 * those who would rather type it.
 */
import { create } from "qrcode";

export interface QrMatrix {
  /** modules per side, quiet zone excluded */
  size: number;
  dark(row: number, column: number): boolean;
}

export function qrMatrix(text: string): QrMatrix {
  // Level M (15 % of the code can be lost) keeps modules large for a URL of this length.
  const { modules } = create(text, { errorCorrectionLevel: "M" });
  return { size: modules.size, dark: (row, column) => modules.get(row, column) === 1 };
}

/** One SVG path for the dark modules, a run of modules per rectangle, offset by the quiet zone. */
export function qrPath(matrix: QrMatrix, quiet: number): string {
  const parts: string[] = [];
  for (let row = 0; row < matrix.size; row++) {
    let column = 0;
    while (column < matrix.size) {
      if (!matrix.dark(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < matrix.size && matrix.dark(row, column)) column++;
      parts.push(`M${start + quiet} ${row + quiet}h${column - start}v1h${start - column}z`);
    }
  }
  return parts.join("");
}

export interface QrViewOptions {
  /** the code's width, as CSS; it stays square */
  size?: string;
  /** modules of white around the code; 4 is the standard's minimum */
  quietZone?: number;
  /** a line above the URL, e.g. "Scan to join the training" */
  caption?: string;
}

export interface QrView {
  readonly element: HTMLElement;
  /** modules per side, quiet zone included */
  readonly modules: number;
  destroy(): void;
}

const SVG = "http://www.w3.org/2000/svg";

export function mountQr(container: HTMLElement, url: string, options: QrViewOptions = {}): QrView {
  const quiet = options.quietZone ?? 4;
  const matrix = qrMatrix(url);
  const side = matrix.size + 2 * quiet;

  const figure = document.createElement("figure");
  figure.className = "fd-qr";
  Object.assign(figure.style, {
    margin: "0",
    display: "flex",
    flexDirection: "column",
    alignItems: "center",
    gap: "0.4em",
  });

  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${side} ${side}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `QR code for ${url}`);
  svg.setAttribute("shape-rendering", "crispEdges");
  Object.assign(svg.style, {
    width: options.size ?? "min(100%, 60vh)",
    height: "auto",
    aspectRatio: "1",
    display: "block",
  });
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(side));
  background.setAttribute("height", String(side));
  background.setAttribute("fill", "#fff");
  const code = document.createElementNS(SVG, "path");
  code.setAttribute("d", qrPath(matrix, quiet));
  code.setAttribute("fill", "#000");
  svg.append(background, code);

  const caption = document.createElement("figcaption");
  caption.style.textAlign = "center";
  if (options.caption) {
    const line = document.createElement("div");
    line.className = "fd-qr-caption";
    line.textContent = options.caption;
    caption.append(line);
  }
  const address = document.createElement("code");
  address.className = "fd-qr-url";
  address.textContent = url;
  Object.assign(address.style, { wordBreak: "break-all", fontSize: "0.8em" });
  caption.append(address);

  figure.append(svg, caption);
  container.append(figure);
  return { element: figure, modules: side, destroy: () => figure.remove() };
}
