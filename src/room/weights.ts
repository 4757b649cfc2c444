/**
 * What crosses the room at 32 or 16 bits: the weights a step carries to a device, and (counted
 * here, encoded by the device's member worker) the gradient it sends back. The presenter keeps its parameters
 * in float32; only the copy that crosses the room is quantized (per tensor, the affine scheme of
 * src/ml/quantize, through wire.ts's encoder and decoder, the same that carry gradients back).
 * A device computes its gradient at weights within half a quantization step of the true ones
 * (about 10⁻⁵ for this network at 16 bits), so the loss does not notice, and the step's frame
 * shrinks by half. No error feedback: each step quantizes the current weights afresh, so
 * rounding never accumulates.
 *
 * A device's bridge (mlp-member.ts) turns `weights` back into `params` before its worker sees
 * the step; anything malformed is refused there with a reason, never computed with.
 */
import type { Segment } from "../ml/distributed/mlp.ts";
import { layout } from "../ml/distributed/mlp.ts";
import type { ToMember } from "../ml/distributed/protocol.ts";
import {
  allFinite,
  decodeGradient,
  GradientEncoder,
  wireSize,
  type WireGradient,
} from "../ml/distributed/wire.ts";

export type WeightBits = 32 | 16;
export const WEIGHT_BITS: readonly WeightBits[] = [32, 16];

type Step = Extract<ToMember, { k: "step" }>;

/** A step as it crosses the room: float32 `params`, or quantized `weights` instead. */
export type RoomStep = Step | (Omit<Step, "params"> & { weights: WireGradient });

const SEGMENTS: Segment[] = layout();
const encoder = new GradientEncoder();

/** The step with its parameters at `bits` (the same message at 32). */
export function packWeights(step: Step, bits: WeightBits): RoomStep {
  if (bits === 32) return step;
  const { params, ...rest } = step;
  return { ...rest, weights: encoder.encode(params, SEGMENTS, bits, false) };
}

/** Bytes of weights a step carries (what `weights` or `params` holds, without the envelope). */
export function weightBytes(step: RoomStep): number {
  return "weights" in step ? wireSize(step.weights) : step.params.byteLength;
}

/**
 * A device's side: a step whose weights came quantized, with float32 `params` again; other
 * messages as they are. Throws a TypeError saying what is wrong with malformed weights.
 */
export function unpackWeights(message: unknown): unknown {
  const m = message as { k?: unknown; weights?: unknown; params?: unknown } | null;
  if (m?.k !== "step" || !Object.hasOwn(m, "weights")) return message;
  if (Object.hasOwn(m, "params")) throw new TypeError("a step with both params and weights");
  const w = m.weights as { bits?: unknown } | null;
  if (w?.bits !== 16) throw new TypeError("weights must come at 16 bits, or as params");
  let params: Float32Array;
  try {
    params = decodeGradient(m.weights, SEGMENTS);
  } catch (error) {
    throw new TypeError(`weights: ${(error as Error).message.replace("gradient", "step")}`, {
      cause: error,
    });
  }
  if (!allFinite(params)) throw new TypeError("weights with NaN or infinite values");
  const { weights: _weights, ...rest } = m;
  return { ...rest, params };
}

/**
 * Bytes of payload in what a device sent as its gradient, counted before it is checked: the
 * typed arrays where a gradient keeps them (`data`, or each part's values, min and scale), and
 * nothing for anything else. Never throws; whether the gradient is well formed is the
 * coordinator's to decide (decodeGradient), so a malformed one is counted and then rejected.
 */
export function gradientPayloadBytes(gradient: unknown): number {
  const g = gradient as { data?: unknown; parts?: unknown } | null;
  const bytes = (x: unknown) => (ArrayBuffer.isView(x) ? x.byteLength : 0);
  if (!g || typeof g !== "object") return 0;
  if (!Array.isArray(g.parts)) return bytes(g.data);
  let sum = 0;
  for (const part of g.parts as unknown[]) {
    const q = part as { values?: unknown; min?: unknown; scale?: unknown } | null;
    if (q && typeof q === "object") sum += bytes(q.values) + bytes(q.min) + bytes(q.scale);
  }
  return sum;
}
