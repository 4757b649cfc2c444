/**
 * Where the network picture puts things, in the picture's own pixels (no DOM): one column of
 * all seven input features (the inactive ones dimmed), one per hidden layer, one for the output;
 * nodes centred vertically in their column; a link per weight; and where each weight sits in
 * the flat weight array that the worker sends.
 */
import { FEATURE_IDS, type FeatureId } from "../../ml/playground/features.ts";

export interface PictureSize {
  width: number;
  height: number;
  /** side of a node's square */
  node: number;
  /** vertical distance between node centres */
  pitch: number;
  /** space above the first row, for the column headings and buttons */
  top: number;
}

export interface NodePlace {
  /** 0: inputs, 1…: hidden layers, last: output */
  column: number;
  /** row within the column */
  row: number;
  /** the node's index among its layer's units (inputs: among the active features; -1 if inactive) */
  unit: number;
  x: number;
  y: number;
  feature?: FeatureId;
}

export interface LinkPlace {
  /** the dense layer (0: inputs → first hidden layer) */
  layer: number;
  from: number;
  to: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** index into the flat weights */
  index: number;
}

export interface NetworkLayout {
  columns: number[];
  nodes: NodePlace[][];
  links: LinkPlace[];
  /** per layer: where its bias values start in the flat weights */
  biasOffsets: number[];
}

/** Offsets of each dense layer's kernel and bias in `flattenWeights`'s order. */
export function weightOffsets(sizes: readonly number[]): { kernel: number[]; bias: number[] } {
  const kernel: number[] = [];
  const bias: number[] = [];
  let at = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l] as number;
    const nOut = sizes[l + 1] as number;
    kernel.push(at);
    at += nIn * nOut;
    bias.push(at);
    at += nOut;
  }
  return { kernel, bias };
}

export function weightCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++)
    n += (sizes[l] as number) * (sizes[l + 1] as number) + (sizes[l + 1] as number);
  return n;
}

export function networkLayout(
  features: readonly FeatureId[],
  hiddenLayers: readonly number[],
  size: PictureSize,
): NetworkLayout {
  const sizes = [features.length, ...hiddenLayers, 1];
  const count = hiddenLayers.length + 2;
  const half = size.node / 2;
  const columns = Array.from(
    { length: count },
    (_, c) => half + ((size.width - size.node) * c) / (count - 1),
  );
  const rowY = (rows: number, r: number) => {
    const body = size.height - size.top;
    return size.top + body / 2 + (r - (rows - 1) / 2) * size.pitch;
  };
  const inputs: NodePlace[] = FEATURE_IDS.map((feature, row) => ({
    column: 0,
    row,
    unit: features.indexOf(feature),
    x: columns[0] as number,
    y: rowY(FEATURE_IDS.length, row),
    feature,
  }));
  const nodes: NodePlace[][] = [inputs];
  for (let c = 1; c < count; c++) {
    const units = sizes[c] as number;
    nodes.push(
      Array.from({ length: units }, (_, row) => ({
        column: c,
        row,
        unit: row,
        x: columns[c] as number,
        y: rowY(units, row),
      })),
    );
  }
  const offsets = weightOffsets(sizes);
  const links: LinkPlace[] = [];
  for (let l = 0; l + 1 < count; l++) {
    const nOut = sizes[l + 1] as number;
    const sources = (nodes[l] as NodePlace[]).filter((n) => n.unit >= 0);
    for (const source of sources) {
      for (const target of nodes[l + 1] as NodePlace[]) {
        links.push({
          layer: l,
          from: source.unit,
          to: target.unit,
          x1: source.x + half,
          y1: source.y,
          x2: target.x - half,
          y2: target.y,
          index: (offsets.kernel[l] as number) + source.unit * nOut + target.unit,
        });
      }
    }
  }
  return { columns, nodes, links, biasOffsets: offsets.bias };
}

/** An S-shaped path between two points, as an SVG path. */
export function linkPath(link: Pick<LinkPlace, "x1" | "y1" | "x2" | "y2">): string {
  const mid = (link.x1 + link.x2) / 2;
  return `M${link.x1},${link.y1}C${mid},${link.y1} ${mid},${link.y2} ${link.x2},${link.y2}`;
}
