/**
 * The messages between the coordinator (the page, holding the parameters) and a member (a
 * worker, later a phone). Structured-cloneable data only; each side validates what it receives,
 * since a member may be a device in the audience.
 */
import type { WireBits } from "../quantize/affine.ts";
import type { Shard } from "./shards.ts";
import type { WireGradient } from "./wire.ts";

export interface MemberSettings {
  /** what the member sends its gradients at */
  bits: WireBits;
  errorFeedback: boolean;
  /** a straggler: each step takes this many times as long as its computation */
  slowdown: number;
}

export type ToMember =
  | ({ k: "settings" } & MemberSettings)
  | {
      k: "step";
      /** the coordinator's step (sync) or parameter version (async) the parameters are at */
      step: number;
      version: number;
      params: Float32Array;
      /** example indices into the member's copy of the data set */
      indices: Int32Array;
      /** the indices of its following batch, where known: it prepares that batch while it waits */
      next?: Int32Array;
      /** page clock (ms) when sent, to draw the timeline */
      sentAt: number;
    }
  | RingStart
  /** ends the ring of `epoch`: the member answers with a "halted" */
  | { k: "halt"; epoch: number }
  | { k: "stop" };

/**
 * Joins a direct ring (ring-member.ts): the member trains from `params` at `step` on its own,
 * reducing with its neighbours over `left` (receives) and `right` (sends), until halted.
 */
export interface RingStart {
  k: "ring";
  /** which ring this is: messages of an older one are ignored */
  epoch: number;
  position: number;
  size: number;
  step: number;
  params: Float32Array;
  shard: Shard;
  /** the member's next draw from its shard */
  draw: number;
  batch: number;
  seed: number;
  learningRate: number;
  bits: WireBits;
  left?: MessagePort;
  right?: MessagePort;
}

/** One step of the direct ring, as a member reports it (`step` updates applied after it). */
export interface RingReport {
  step: number;
  loss: number;
  count: number;
  /** wall-clock ms: step began, gradient computed, reduction began, update applied */
  times: { received: number; computed: number; reduced: number; sent: number };
}

/** Times on the member's clock as wall-clock ms (performance.timeOrigin + now). */
export interface StepTimes {
  received: number;
  computed: number;
  /** after the straggler's delay, when the gradient left */
  sent: number;
}

export type FromMember =
  | { k: "ready"; backend: string; examples: number }
  | {
      k: "gradient";
      step: number;
      version: number;
      loss: number;
      count: number;
      gradient: WireGradient;
      times: StepTimes;
    }
  /** steps of the direct ring, after their updates */
  | {
      k: "ringSteps";
      epoch: number;
      steps: RingReport[];
      /** the first member's parameters after step `paramsStep`, now and then (checkpoints) */
      params?: Float32Array;
      paramsStep?: number;
    }
  | { k: "halted"; epoch: number; step: number; draw: number; params: Float32Array }
  | { k: "error"; message: string };

const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** A member's message, or why it is not one (the gradient itself is checked when decoded). */
export function parseFromMember(message: unknown): FromMember | string {
  const m = message as Record<string, unknown> | null;
  if (!m || typeof m !== "object") return "not an object";
  if (m.k === "ready") {
    return typeof m.backend === "string" && isNumber(m.examples)
      ? { k: "ready", backend: m.backend.slice(0, 40), examples: m.examples }
      : "a malformed ready";
  }
  if (m.k === "error") return { k: "error", message: String(m.message).slice(0, 300) };
  if (m.k === "gradient") {
    const t = m.times as Record<string, unknown> | null;
    if (!isNumber(m.step) || !isNumber(m.version) || !isNumber(m.loss) || !isNumber(m.count)) {
      return "a gradient without step, version, loss and count";
    }
    if (!t || !isNumber(t.received) || !isNumber(t.computed) || !isNumber(t.sent)) {
      return "a gradient without its times";
    }
    return m as unknown as FromMember;
  }
  if (m.k === "ringSteps") {
    if (!isNumber(m.epoch) || !Array.isArray(m.steps) || m.steps.length > 10_000) {
      return "a malformed ring report";
    }
    for (const r of m.steps as Array<Record<string, unknown>>) {
      const t = r?.times as Record<string, unknown> | null;
      if (![r?.step, r?.loss, r?.count].every(isNumber)) return "a malformed ring step";
      if (!t || ![t.received, t.computed, t.reduced, t.sent].every(isNumber)) {
        return "a ring step without its times";
      }
    }
    if (
      m.params !== undefined &&
      (!(m.params instanceof Float32Array) || !isNumber(m.paramsStep))
    ) {
      return "a ring report with malformed parameters";
    }
    return m as unknown as FromMember;
  }
  if (m.k === "halted") {
    if (![m.epoch, m.step, m.draw].every(isNumber) || !(m.params instanceof Float32Array)) {
      return "a malformed halt";
    }
    return m as unknown as FromMember;
  }
  return `an unknown message kind ${JSON.stringify(m.k)?.slice(0, 30)}`;
}

/** The page's clock as wall-clock ms, comparable with a worker's. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}
