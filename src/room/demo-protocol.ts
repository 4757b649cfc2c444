/**
 * The messages of the phase-1 stand-in training between the presenter's demo page and the
 * members (carried as training payloads, inside binary frames). The distributed-training code
 * brings its own messages in phase 2; these show the shape: a task, parameters, gradients (at
 * 8 bits, as bytes), and pings for measuring the round trip.
 */
import type { LinearShard } from "./linear-task.ts";
import { isRecord } from "./shape.ts";

export type ToDemoMember =
  | { type: "task"; shard: LinearShard }
  | { type: "params"; step: number; params: Float32Array; bits: 8 | 32 }
  | { type: "ping"; n: number };

interface GradientFields {
  type: "gradient";
  step: number;
  loss: number;
  examples: number;
  /** milliseconds spent computing */
  ms: number;
}

/** A gradient at 32 bits (`values` is the gradient) or 8 (affine: min + values · scale). */
export type DemoGradient = GradientFields &
  (
    | { bits: 32; values: Float32Array }
    | { bits: 8; values: Uint8Array; min: Float32Array; scale: Float32Array }
  );

export type FromDemoMember = DemoGradient | { type: "pong"; n: number };

const isCount = (v: unknown): v is number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function isShard(v: unknown): v is LinearShard {
  if (!isRecord(v)) return false;
  const { index, count, seed, examples, features } = v;
  return (
    isCount(index) &&
    isCount(count) &&
    count >= 1 &&
    index <= count &&
    isCount(seed) &&
    isCount(examples) &&
    examples >= 1 &&
    examples <= 100_000 &&
    isCount(features) &&
    features >= 1 &&
    features <= 1024
  );
}

/** A member checks what the presenter sends before computing with it. */
export function parseToDemoMember(message: unknown): ToDemoMember | undefined {
  if (!isRecord(message)) return undefined;
  switch (message.type) {
    case "task":
      return isShard(message.shard) ? { type: "task", shard: message.shard } : undefined;
    case "params":
      return isCount(message.step) &&
        message.params instanceof Float32Array &&
        (message.bits === 8 || message.bits === 32)
        ? { type: "params", step: message.step, params: message.params, bits: message.bits }
        : undefined;
    case "ping":
      return isCount(message.n) ? { type: "ping", n: message.n } : undefined;
    default:
      return undefined;
  }
}

/**
 * The presenter checks a member's message: the envelope was checked by the server, the content
 * is checked here (the gradient's length against the model, finite numbers). Returns the reason
 * when it is unusable, which becomes the reason the member is removed.
 */
export function parseFromDemoMember(
  message: unknown,
  parameters: number,
): { ok: true; message: FromDemoMember } | { ok: false; reason: string } {
  if (!isRecord(message)) return { ok: false, reason: "message is not an object" };
  if (message.type === "pong") {
    return isCount(message.n)
      ? { ok: true, message: { type: "pong", n: message.n } }
      : { ok: false, reason: "pong without a count" };
  }
  if (message.type !== "gradient") return { ok: false, reason: "unknown message type" };
  const { step, loss, examples, ms, bits, values, min, scale } = message;
  if (!isCount(step) || !isCount(examples) || typeof loss !== "number" || typeof ms !== "number")
    return { ok: false, reason: "gradient without step, loss, examples or time" };
  const typed =
    (bits === 32 && values instanceof Float32Array) || (bits === 8 && values instanceof Uint8Array);
  if (!typed) return { ok: false, reason: "gradient values of the wrong type for their bits" };
  if (values.length !== parameters)
    return {
      ok: false,
      reason: `gradient of ${values.length} values, the model has ${parameters}`,
    };
  const affine =
    min instanceof Float32Array &&
    scale instanceof Float32Array &&
    min.length === 1 &&
    scale.length === 1;
  if (bits === 8 && !affine)
    return { ok: false, reason: "8-bit gradient without its min and scale" };
  return { ok: true, message: message as unknown as DemoGradient };
}
