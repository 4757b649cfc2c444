/**
 * A functional model's graph, read from the model itself: its layers and, for each, the layers
 * its first inbound node takes input from. Laid out in levels (the longest path from the input)
 * and columns (a branch keeps the column of the first layer that left the input), so a picture
 * drawn from it shows the model that runs.
 */
import type * as TF from "@tensorflow/tfjs";
import { BRANCHES, branchOf, inceptionModule, type Branch } from "./inception.ts";

export interface GraphNode {
  name: string;
  className: string;
  /** what the box says: "conv 3×3, 128 filters", "max pool 3×3", "concatenate" */
  label: string;
  /** output shape without the batch axis */
  shape: number[];
  params: number;
  branch: Branch | undefined;
  level: number;
  /** 0 … columns − 1, may be fractional for a layer that joins branches */
  column: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: Array<{ from: string; to: string }>;
  levels: number;
  columns: number;
}

function describe(layer: TF.layers.Layer): string {
  const config = layer.getConfig() as {
    kernelSize?: number | number[];
    filters?: number;
    poolSize?: number | number[];
    units?: number;
  };
  const size = (s: number | number[] | undefined) => {
    const [h, w] = Array.isArray(s) ? s : [s, s];
    return `${h}×${w}`;
  };
  switch (layer.getClassName()) {
    case "InputLayer":
      return "input";
    case "Conv2D":
      return `conv ${size(config.kernelSize)}, ${config.filters}`;
    case "MaxPooling2D":
      return `max pool ${size(config.poolSize)}`;
    case "Concatenate":
      return "concatenate";
    case "Dense":
      return `dense ${config.units}`;
    case "Flatten":
      return "flatten";
    default:
      return layer.getClassName();
  }
}

export function graphOf(model: TF.LayersModel): Graph {
  const parents = new Map<string, string[]>();
  for (const layer of model.layers) {
    const node = layer.inboundNodes[0];
    parents.set(layer.name, node ? node.inboundLayers.map((l) => l.name) : []);
  }
  const level = new Map<string, number>();
  const column = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const [name, from] of parents) {
    for (const p of from) children.set(p, [...(children.get(p) ?? []), name]);
  }
  // model.layers is in topological order for a functional model: parents come first.
  let columns = 1;
  for (const layer of model.layers) {
    const from = parents.get(layer.name)!;
    level.set(layer.name, from.length ? Math.max(...from.map((p) => level.get(p)!)) + 1 : 0);
  }
  for (const layer of model.layers) {
    const from = parents.get(layer.name)!;
    const fanOut = (name: string) => children.get(name)?.length ?? 0;
    const splitter = from.length === 1 && fanOut(from[0]!) > 1 ? from[0]! : undefined;
    if (splitter) {
      // Siblings in branch order (1×1, 3×3, 5×5, pool), whatever order the model lists them in.
      const rank = (name: string) => {
        const b = branchOf(name);
        return b ? BRANCHES.indexOf(b) : BRANCHES.length;
      };
      const siblings = [...children.get(splitter)!].sort((a, b) => rank(a) - rank(b));
      columns = Math.max(columns, siblings.length);
      column.set(layer.name, siblings.indexOf(layer.name));
    } else if (from.length) {
      column.set(layer.name, from.reduce((s, p) => s + column.get(p)!, 0) / from.length);
    }
  }
  // Layers before the first split sit in the middle, like the ones after a join.
  for (const layer of model.layers) {
    if (!column.has(layer.name)) column.set(layer.name, (columns - 1) / 2);
  }
  for (const layer of model.layers) {
    const from = parents.get(layer.name)!;
    if (from.length > 1) column.set(layer.name, (columns - 1) / 2);
  }
  const nodes = model.layers.map((layer): GraphNode => ({
    name: layer.name,
    className: layer.getClassName(),
    label: describe(layer),
    shape: (layer.outputShape as (number | null)[]).slice(1).map(Number),
    params: layer.countParams(),
    branch: branchOf(layer.name),
    level: level.get(layer.name)!,
    column: column.get(layer.name)!,
  }));
  const edges = [...parents].flatMap(([to, from]) => from.map((f) => ({ from: f, to })));
  return { nodes, edges, levels: Math.max(...level.values()) + 1, columns };
}

/** The graph of one Inception module, built for the purpose and disposed. */
export function inceptionGraph(
  tf: Parameters<typeof inceptionModule>[0],
  spec: Parameters<typeof inceptionModule>[1],
  options: Parameters<typeof inceptionModule>[2] = {},
): Graph {
  const model = inceptionModule(tf, spec, { zeroWeights: true, ...options });
  try {
    return graphOf(model);
  } finally {
    model.dispose();
  }
}
