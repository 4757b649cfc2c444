/**
 * Gradients as they cross the wire: float32 as they are, or each tensor (w1, b1, w2, b2)
 * quantized on its own to 16 or 8 bits with the affine scheme of src/ml/quantize, optionally
 * with error feedback so that what rounding takes in one step is sent in a later one.
 */
import { dequantize, quantize, quantizedBytes } from "../quantize/affine.ts";
import type { Quantized, WireBits } from "../quantize/affine.ts";
import { ErrorFeedback } from "../quantize/error-feedback.ts";
import type { Segment } from "./mlp.ts";

export type WireGradient = { bits: 32; data: Float32Array } | { bits: 8 | 16; parts: Quantized[] };

export function wireSize(gradient: WireGradient): number {
  return gradient.bits === 32
    ? gradient.data.byteLength
    : gradient.parts.reduce((sum, q) => sum + quantizedBytes(q), 0);
}

/** Buffers a port can move rather than copy. */
export function transferables(gradient: WireGradient): ArrayBuffer[] {
  const buffers =
    gradient.bits === 32
      ? [gradient.data.buffer]
      : gradient.parts.flatMap((q) => [q.values.buffer, q.min.buffer, q.scale.buffer]);
  return buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** The sending side: one encoder per member, keeping the error-feedback residuals. */
export class GradientEncoder {
  #feedback: ErrorFeedback[] = [];

  encode(
    gradient: Float32Array,
    segments: Segment[],
    bits: WireBits,
    feedback: boolean,
  ): WireGradient {
    if (bits === 32) return { bits, data: gradient };
    const parts = segments.map((s, i) => {
      const slice = gradient.subarray(s.offset, s.offset + s.size);
      if (!feedback) return quantize(slice, bits);
      return (this.#feedback[i] ??= new ErrorFeedback()).compress(slice, bits);
    });
    return { bits, parts };
  }

  /** forget what is owed (the bits changed, or error feedback was switched off) */
  reset(): void {
    this.#feedback = [];
  }
}

/** Back to float32, checking the shape against the layout; throws on anything malformed. */
export function decodeGradient(wire: unknown, segments: Segment[]): Float32Array {
  const total = segments.reduce((n, s) => n + s.size, 0);
  const w = wire as Partial<{ bits: number; data: unknown; parts: unknown }>;
  if (w?.bits === 32) {
    if (!(w.data instanceof Float32Array) || w.data.length !== total) {
      throw new TypeError(`a 32-bit gradient must be a Float32Array of ${total} values`);
    }
    return w.data;
  }
  if (
    (w?.bits === 8 || w?.bits === 16) &&
    Array.isArray(w.parts) &&
    w.parts.length === segments.length
  ) {
    const out = new Float32Array(total);
    segments.forEach((s, i) => {
      const q = (w.parts as Quantized[])[i]!;
      const Values = w.bits === 8 ? Uint8Array : Uint16Array;
      if (
        !(q?.values instanceof Values) ||
        q.values.length !== s.size ||
        !(q.min instanceof Float32Array) ||
        !(q.scale instanceof Float32Array) ||
        q.channels !== 1 ||
        q.min.length !== 1 ||
        q.scale.length !== 1
      ) {
        throw new TypeError(`part ${s.name} of a ${w.bits}-bit gradient is malformed`);
      }
      dequantize(q, out.subarray(s.offset, s.offset + s.size));
    });
    return out;
  }
  throw new TypeError("a gradient must be sent at 32, 16 or 8 bits");
}

/**
 * No NaN and no infinity: their sum is finite exactly then (float32 values cannot overflow a
 * float64 sum), and one pass of additions is cheaper than a call per value.
 */
export function allFinite(values: Float32Array): boolean {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return Number.isFinite(sum);
}
