/**
 * A trained model's weights rounded to 16 or 8 bits (affine, src/ml/quantize/affine.ts), per
 * tensor or per output channel, and brought back to float32 in a copy of the model: what the
 * network computes after the rounding, how large its weights are, and how far each moved.
 */
import type * as TF from "@tensorflow/tfjs";
import {
  dequantize,
  errorBound,
  quantize,
  quantizedBytes,
  type QuantizedBits,
} from "../quantize/affine.ts";
import type { LabelledImages } from "../mnist/idx.ts";
import { accuracy } from "../mnist/train.ts";
import type { Tf } from "./inception.ts";

export interface QuantizeModelOptions {
  bits: QuantizedBits;
  /** one min and scale per output channel (the last axis) of every kernel, instead of per tensor */
  perChannel: boolean;
}

export interface QuantizedModel {
  model: TF.LayersModel;
  /** bytes of the quantized weights (integers + min and scale per channel) */
  bytes: number;
  /** bytes of the same weights as float32 */
  floatBytes: number;
  /** quantized − original, for every weight */
  errors: Float32Array;
  /** the largest error the rounding allows, over all tensors */
  bound: number;
}

/** The quantized copy of `model`; the caller disposes `model` of the result. */
export async function quantizeModel(
  tf: Tf,
  model: TF.LayersModel,
  { bits, perChannel }: QuantizeModelOptions,
): Promise<QuantizedModel> {
  const originals = model.getWeights();
  const values = await Promise.all(originals.map((w) => w.data() as Promise<Float32Array>));
  let bytes = 0;
  let floatBytes = 0;
  let bound = 0;
  const errors = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  let offset = 0;
  const rounded = originals.map((w, i) => {
    const data = values[i]!;
    // Biases are per channel already: a kernel's last axis is its output channels.
    const channels = perChannel && w.rank >= 2 ? w.shape[w.rank - 1]! : 1;
    const q = quantize(data, bits, { channels });
    const back = dequantize(q);
    bytes += quantizedBytes(q);
    floatBytes += data.byteLength;
    bound = Math.max(bound, errorBound(q));
    for (let j = 0; j < data.length; j++) errors[offset + j] = back[j]! - data[j]!;
    offset += data.length;
    return tf.tensor(back, w.shape);
  });
  const copy = await tf.models.modelFromJSON({
    modelTopology: model.toJSON(null, false) as TF.io.ModelJSON["modelTopology"],
  } as unknown as TF.io.ModelJSON);
  copy.setWeights(rounded);
  tf.dispose(rounded);
  return { model: copy, bytes, floatBytes, errors, bound };
}

/** Counts of |error| in bins of a tenth of a decade, from 10^from to 10^to (zeros: the first bin). */
export function logHistogram(
  errors: Float32Array,
  { from = -9, to = -1, perDecade = 4 } = {},
): Array<{ x0: number; x1: number; count: number }> {
  const bins = (to - from) * perDecade;
  const counts = new Array<number>(bins).fill(0);
  for (const e of errors) {
    const a = Math.abs(e);
    const b = a === 0 ? 0 : Math.floor((Math.log10(a) - from) * perDecade);
    counts[Math.min(bins - 1, Math.max(0, b))]!++;
  }
  return counts.map((count, b) => ({
    x0: 10 ** (from + b / perDecade),
    x1: 10 ** (from + (b + 1) / perDecade),
    count,
  }));
}

export interface QuantizedEvaluation extends Omit<QuantizedModel, "model"> {
  /** held-out accuracy of the quantized copy */
  accuracy: number;
}

/** Quantizes `model`, tests the copy on `set`, and frees the copy. */
export async function evaluateQuantized(
  tf: Tf,
  model: TF.LayersModel,
  set: LabelledImages,
  options: QuantizeModelOptions,
): Promise<QuantizedEvaluation> {
  const { model: copy, ...rest } = await quantizeModel(tf, model, options);
  try {
    return { ...rest, accuracy: await accuracy(tf, copy, set) };
  } finally {
    copy.dispose();
  }
}
