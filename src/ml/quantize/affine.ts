/**
 * Affine quantization of float32 arrays to 8 or 16 bits, per tensor or per channel: each value x
 * becomes an integer q = round((x − min) / scale) with scale = (max − min) / (2^bits − 1), and
 * comes back as min + q · scale. The error of a round trip is at most scale / 2 per channel.
 * Pure: no TensorFlow.js, so gradients in workers and weights in notebooks share one definition.
 */

export type QuantizedBits = 8 | 16;
/** what goes on the wire: 32 means float32 as it is */
export type WireBits = 32 | QuantizedBits;

export interface Quantized {
  bits: QuantizedBits;
  /** one integer per value */
  values: Uint8Array | Uint16Array;
  /** per channel (length 1 when per tensor) */
  min: Float32Array;
  scale: Float32Array;
  /** 1 per tensor; else values are grouped by channel along the last axis (index % channels) */
  channels: number;
}

export interface QuantizeOptions {
  /** channels along the last axis (conv kernels [h, w, in, out] and dense [in, out] alike) */
  channels?: number;
}

/** Integers of `bits` bits: 0 … 2^bits − 1. */
const levels = (bits: QuantizedBits) => 2 ** bits - 1;

export function quantize(
  data: Float32Array,
  bits: QuantizedBits,
  { channels = 1 }: QuantizeOptions = {},
): Quantized {
  if (!Number.isInteger(channels) || channels < 1 || data.length % channels !== 0) {
    throw new RangeError(`${data.length} values do not split into ${channels} channels`);
  }
  const min = new Float32Array(channels).fill(Infinity);
  const max = new Float32Array(channels).fill(-Infinity);
  for (let i = 0; i < data.length; i++) {
    const c = i % channels;
    const x = data[i]!;
    if (!Number.isFinite(x)) throw new RangeError(`value ${x} at index ${i} cannot be quantized`);
    if (x < min[c]!) min[c] = x;
    if (x > max[c]!) max[c] = x;
  }
  const scale = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    if (min[c] === Infinity) min[c] = max[c] = 0; // an empty channel
    // A constant channel still needs a non-zero scale; every value maps to 0 and back exactly.
    scale[c] = (max[c]! - min[c]!) / levels(bits) || 1;
  }
  const values = bits === 8 ? new Uint8Array(data.length) : new Uint16Array(data.length);
  const top = levels(bits);
  for (let i = 0; i < data.length; i++) {
    const c = i % channels;
    const q = Math.round((data[i]! - min[c]!) / scale[c]!);
    values[i] = q < 0 ? 0 : q > top ? top : q; // rounding in float32 can step one past an end
  }
  return { bits, values, min, scale, channels };
}

export function dequantize(q: Quantized, into = new Float32Array(q.values.length)): Float32Array {
  const { values, min, scale, channels } = q;
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    into[i] = min[c]! + values[i]! * scale[c]!;
  }
  return into;
}

/** The largest error a round trip can make, over all channels: half the widest step. */
export function errorBound(q: Quantized): number {
  let widest = 0;
  for (const s of q.scale) widest = Math.max(widest, s);
  // float32 arithmetic in min + q · scale adds a few ulps of the range on top of half a step
  return widest / 2 + rangeUlps(q);
}

function rangeUlps(q: Quantized): number {
  let largest = 0;
  for (let c = 0; c < q.channels; c++) {
    largest = Math.max(
      largest,
      Math.abs(q.min[c]!),
      Math.abs(q.min[c]! + q.scale[c]! * levels(q.bits)),
    );
  }
  return largest * 2 ** -21;
}

/** Bytes on the wire: the integers plus a min and a scale (float32) per channel. */
export function quantizedBytes(q: Quantized): number {
  return q.values.byteLength + 8 * q.channels;
}

/** Bytes to send `count` values at `bits` bits, per tensor. */
export function wireBytes(count: number, bits: WireBits, channels = 1): number {
  return bits === 32 ? count * 4 : count * (bits / 8) + 8 * channels;
}
