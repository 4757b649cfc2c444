/**
 * The Inception module (Szegedy et al., "Going Deeper with Convolutions", CVPR 2015) built with
 * tf.layers, and what it costs: weights and multiply-adds read back from the model's own layers,
 * so the counts describe the network that runs, not a formula beside it.
 *
 *   input ─┬─ 1×1 ─────────────┐
 *          ├─ 1×1 → 3×3 ───────┤
 *          ├─ 1×1 → 5×5 ───────┼─ concatenate (channels)
 *          └─ 3×3 max → 1×1 ───┘
 *
 * Without the 1×1 reductions ("naive", the paper's figure 2a) the 3×3 and 5×5 read every input
 * channel and the pooled input is concatenated as it is.
 */
import type * as TF from "@tensorflow/tfjs";

export type Tf = typeof TF;

export interface InceptionChannels {
  /** filters of the 1×1 branch */
  b1: number;
  /** 1×1 reduction in front of the 3×3, and the 3×3's filters */
  b3r: number;
  b3: number;
  /** 1×1 reduction in front of the 5×5, and the 5×5's filters */
  b5r: number;
  b5: number;
  /** 1×1 projection after the max pooling */
  pool: number;
}

/** GoogLeNet's "inception (3a)": 28 × 28 × 192 in, 256 channels out (the paper's table 1). */
export const INCEPTION_3A = {
  size: 28,
  inChannels: 192,
  channels: { b1: 64, b3r: 96, b3: 128, b5r: 16, b5: 32, pool: 32 },
} as const satisfies { size: number; inChannels: number; channels: InceptionChannels };

export interface ModuleOptions {
  /** the 1×1 reductions (true: the real module; false: the naive one) */
  reductions?: boolean;
  /** prefix of the layer names, so two modules in one network have distinct names */
  name?: string;
  /** seeds the initial weights */
  seed?: number;
  /**
   * weights all zero, for a model that is only counted or drawn, never run: drawing GoogLeNet's
   * 3a module's ~550 k initial weights at random held the main thread ~150 ms on arrival
   */
  zeroWeights?: boolean;
}

/** The branch each layer belongs to, from its name (`<prefix>/<branch>/<role>`). */
export const BRANCHES = ["1x1", "3x3", "5x5", "pool"] as const;
export type Branch = (typeof BRANCHES)[number];

export function branchOf(layerName: string): Branch | undefined {
  return BRANCHES.find((b) => layerName.split("/").includes(b));
}

/** Applies an Inception module to a symbolic tensor (inside a functional model). */
export function inceptionBlock(
  tf: Tf,
  input: TF.SymbolicTensor,
  c: InceptionChannels,
  { reductions = true, name = "inception", seed = 1, zeroWeights = false }: ModuleOptions = {},
): TF.SymbolicTensor {
  let k = 0;
  const conv = (filters: number, size: number, layerName: string) => (x: TF.SymbolicTensor) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize: size,
        padding: "same",
        activation: "relu",
        kernelInitializer: zeroWeights
          ? tf.initializers.zeros()
          : tf.initializers.heNormal({ seed: seed * 64 + k++ }),
        name: `${name}/${layerName}`,
      })
      .apply(x) as TF.SymbolicTensor;
  const pooled = tf.layers
    .maxPooling2d({ poolSize: 3, strides: 1, padding: "same", name: `${name}/pool/max_3x3` })
    .apply(input) as TF.SymbolicTensor;
  const branches = reductions
    ? [
        conv(c.b1, 1, "1x1/conv_1x1")(input),
        conv(c.b3, 3, "3x3/conv_3x3")(conv(c.b3r, 1, "3x3/reduce_1x1")(input)),
        conv(c.b5, 5, "5x5/conv_5x5")(conv(c.b5r, 1, "5x5/reduce_1x1")(input)),
        conv(c.pool, 1, "pool/proj_1x1")(pooled),
      ]
    : [
        conv(c.b1, 1, "1x1/conv_1x1")(input),
        conv(c.b3, 3, "3x3/conv_3x3")(input),
        conv(c.b5, 5, "5x5/conv_5x5")(input),
        pooled,
      ];
  return tf.layers.concatenate({ name: `${name}/concat` }).apply(branches) as TF.SymbolicTensor;
}

/** One module on its own, as a model: size × size × inChannels in. */
export function inceptionModule(
  tf: Tf,
  { size, inChannels, channels }: { size: number; inChannels: number; channels: InceptionChannels },
  options: ModuleOptions = {},
): TF.LayersModel {
  for (const [key, value] of Object.entries({ size, inChannels, ...channels })) {
    if (!Number.isInteger(value) || value < 1 || value > 4096) {
      throw new RangeError(`${key} must be a whole number from 1 to 4096, not ${value}`);
    }
  }
  const input = tf.input({ shape: [size, size, inChannels], name: "input" });
  const output = inceptionBlock(tf, input, channels, options);
  return tf.model({ inputs: input, outputs: output, name: options.name ?? "inception" });
}

export interface LayerCost {
  name: string;
  className: string;
  params: number;
  /** multiply-adds for one image */
  macs: number;
  outputShape: number[];
}

export interface Cost {
  params: number;
  macs: number;
  layers: LayerCost[];
  outputShape: number[];
}

/**
 * Weights and multiply-adds of every layer: a convolution does one multiply-add per output
 * position, per kernel weight (kh · kw · in · out); a dense layer one per weight; pooling and
 * concatenation none worth counting.
 */
export function costOf(model: TF.LayersModel): Cost {
  const layers = model.layers.map((layer): LayerCost => {
    const outputShape = (layer.outputShape as (number | null)[]).slice(1).map(Number);
    const kernel = layer.getWeights(false)[0]?.shape ?? [];
    const className = layer.getClassName();
    const kernelSize = kernel.reduce((a, b) => a * b, 1);
    let macs = 0;
    if (className === "Conv2D") macs = outputShape[0]! * outputShape[1]! * kernelSize;
    else if (className === "Dense") macs = kernelSize;
    return { name: layer.name, className, params: layer.countParams(), macs, outputShape };
  });
  const out = model.outputs[0]!.shape.slice(1).map(Number);
  return {
    params: layers.reduce((s, l) => s + l.params, 0),
    macs: layers.reduce((s, l) => s + l.macs, 0),
    layers,
    outputShape: out,
  };
}

/** Both variants of one module, built, counted and disposed. */
export function compareReductions(
  tf: Tf,
  spec: { size: number; inChannels: number; channels: InceptionChannels },
): { naive: Cost; reduced: Cost } {
  const measure = (reductions: boolean) => {
    const model = inceptionModule(tf, spec, { reductions, zeroWeights: true });
    try {
      return costOf(model);
    } finally {
      model.dispose();
    }
  };
  return { naive: measure(false), reduced: measure(true) };
}

/**
 * GoogLeNet's published figures, with where they come from. Parameters: the sum of the
 * "params" column of the paper's table 1 (its text: 12 times fewer than AlexNet's ~60 M).
 */
export const GOOGLENET = {
  layers: 22,
  params: 6.8e6,
  top5Error: 6.67,
  macsPerImage: 1.5e9,
  source:
    'C. Szegedy et al., "Going Deeper with Convolutions", CVPR 2015 (arXiv:1409.4842, 2014): ' +
    "22 layers with parameters, about 6.8 M weights (table 1), ~1.5 G multiply-adds per image, " +
    "ILSVRC 2014 classification winner with 6.67 % top-5 error",
} as const;
