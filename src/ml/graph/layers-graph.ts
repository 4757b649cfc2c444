/**
 * The graph of a tf.layers model as TensorBoard draws it: one box per layer, with its output
 * shape and weight count, that opens into the operations the layer runs (a dense layer is a
 * MatMul, a BiasAdd and its activation). Read from the model's own layers and configs.
 */
import type * as TF from "@tensorflow/tfjs";

export interface LayerOp {
  op: string;
  /** the weight this op reads, if any (kernel, bias) */
  weight?: { name: string; shape: number[] };
}

export interface LayerBox {
  name: string;
  className: string;
  /** the output shape, null for the batch */
  outputShape: Array<number | null>;
  params: number;
  inputs: string[];
  ops: LayerOp[];
}

const ACTIVATION_OPS: Record<string, string> = {
  relu: "Relu",
  sigmoid: "Sigmoid",
  softmax: "Softmax",
  tanh: "Tanh",
  elu: "Elu",
  selu: "Selu",
  relu6: "Relu6",
};

function activationOps(config: Record<string, unknown>): LayerOp[] {
  const name = config["activation"];
  if (typeof name !== "string" || name === "linear") return [];
  return [{ op: ACTIVATION_OPS[name] ?? name }];
}

/** The operations one layer expands into, from its class and config. */
export function layerOps(layer: TF.layers.Layer): LayerOp[] {
  const config = layer.getConfig() as Record<string, unknown>;
  const weight = (suffix: string): LayerOp["weight"] => {
    const w = layer.weights.find((v) => v.originalName.endsWith(suffix));
    return w ? { name: w.originalName, shape: w.shape as number[] } : undefined;
  };
  const withWeights = (ops: Array<[string, string?]>): LayerOp[] =>
    ops.map(([op, suffix]) => {
      const w = suffix ? weight(suffix) : undefined;
      return w ? { op, weight: w } : { op };
    });
  switch (layer.getClassName()) {
    case "Dense":
      return [
        ...withWeights([
          ["MatMul", "kernel"],
          ...(config["useBias"] !== false ? [["BiasAdd", "bias"] as [string, string]] : []),
        ]),
        ...activationOps(config),
      ];
    case "Conv2D":
      return [
        ...withWeights([
          ["Conv2D", "kernel"],
          ...(config["useBias"] !== false ? [["BiasAdd", "bias"] as [string, string]] : []),
        ]),
        ...activationOps(config),
      ];
    case "MaxPooling2D":
      return [{ op: "MaxPool" }];
    case "AveragePooling2D":
      return [{ op: "AvgPool" }];
    case "Flatten":
      return [{ op: "Reshape" }];
    case "Dropout":
      return [{ op: "Identity (dropout only trains)" }];
    case "Activation":
      return activationOps(config);
    case "InputLayer":
      return [{ op: "Placeholder" }];
    default:
      return [{ op: layer.getClassName() }];
  }
}

function shapeOf(layer: TF.layers.Layer): Array<number | null> {
  const shape = layer.outputShape as Array<number | null> | Array<Array<number | null>>;
  return (Array.isArray(shape[0]) ? shape[0] : shape) as Array<number | null>;
}

/** Every layer of the model, in order, with the layers that feed it. */
export function modelGraph(model: TF.LayersModel): LayerBox[] {
  return model.layers.map((layer, i) => {
    const inbound = (
      layer as unknown as { inboundNodes: Array<{ inboundLayers: TF.layers.Layer[] }> }
    ).inboundNodes;
    const fromNodes = inbound?.[0]?.inboundLayers.map((l) => l.name) ?? [];
    const previous = model.layers[i - 1];
    return {
      name: layer.name,
      className: layer.getClassName(),
      outputShape: shapeOf(layer),
      params: layer.countParams(),
      // A Sequential model's first layer has a hidden input layer; say "input" for it.
      inputs: fromNodes.length
        ? fromNodes.filter((n) => model.layers.some((l) => l.name === n))
        : previous
          ? [previous.name]
          : [],
      ops: layerOps(layer),
    };
  });
}
