/**
 * A joined device as a real member of the presenter's data-parallel training. Loaded only after
 * the tap: it starts the same Web Worker the presenter's own members run (member-worker.ts: its
 * own TensorFlow.js, MNIST fetched from the room server's origin, `serveMember` computing the
 * MLP's gradients) and bridges that worker to each link the room opens to the presenter. The
 * worker boots once; a presenter that reconnects gets the worker's "ready" again on its new link.
 * `fault` makes this device misbehave on purpose (fault.ts).
 */
import type { FromMember } from "../ml/distributed/protocol.ts";
import type { Link } from "../ml/distributed/transport.ts";
import type { WireGradient } from "../ml/distributed/wire.ts";
import { startMemberWorker, type WorkerMember } from "../ml/distributed/worker-link.ts";

import type { Fault } from "./fault.ts";
import { unpackWeights } from "./weights.ts";

export type { Fault };

/**
 * The most examples one step may ask of a device (16 batches of 128 and room to spare): the
 * presenter sends several batches a step to a device behind a slow round trip, but a step far
 * larger would only exhaust a phone's memory (each example is 3 kB on the backend).
 */
export const MAX_STEP_EXAMPLES = 4096;

export interface MlpProgress {
  /** "" until the worker's TensorFlow.js has started */
  backend: string;
  steps: number;
  lastStepMs: number | null;
  /** the digits in the last step (several batches, once the presenter measured the round trip) */
  lastExamples: number | null;
  lastLoss: number | null;
  /** the smallest and largest example index this device was given */
  shard: { first: number; last: number } | null;
  /** the bits the last step's weights came at */
  weightBits: 32 | 16 | null;
  /** the bits its last gradient went back at (what the presenter's settings asked for) */
  gradientBits: 32 | 16 | 8 | null;
  /** what went wrong in the worker, if anything */
  problem: string;
  fault: Fault | undefined;
}

/** Spoils a gradient in place, as a hostile member would. */
export function spoil(gradient: WireGradient, fault: Fault): void {
  if (gradient.bits === 32) {
    const data = gradient.data;
    for (let i = 0; i < data.length; i++) data[i] = fault === "nan" ? NaN : -50 * data[i]!;
    return;
  }
  for (const part of gradient.parts) {
    if (fault === "nan") part.min.fill(NaN);
    else {
      // min + scale × q, times −50
      part.min[0] = -50 * part.min[0]!;
      part.scale[0] = -50 * part.scale[0]!;
    }
  }
}

export class MlpMember {
  readonly #worker: WorkerMember;
  readonly #listeners = new Set<(progress: MlpProgress) => void>();
  #ready: FromMember | undefined;
  #link: Link | undefined;
  #stopLink: () => void = () => {};
  #progress: MlpProgress;

  constructor(base: string, fault?: Fault) {
    this.#progress = {
      backend: "",
      steps: 0,
      lastStepMs: null,
      lastExamples: null,
      lastLoss: null,
      shard: null,
      weightBits: null,
      gradientBits: null,
      problem: "",
      fault,
    };
    this.#worker = startMemberWorker(base, "wasm", "room-member");
    this.#worker.link.onMessage((raw) => this.#fromWorker(raw as FromMember));
    this.#worker.link.onClose((reason) => this.#update({ problem: reason }));
  }

  get progress(): MlpProgress {
    return this.#progress;
  }

  onProgress(listener: (progress: MlpProgress) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#progress);
    return () => this.#listeners.delete(listener);
  }

  /** Serves the presenter on `link` (replacing the previous one) until it closes. */
  attach(link: Link): void {
    this.#stopLink();
    this.#link = link;
    const offMessage = link.onMessage((raw) => {
      let message: unknown;
      try {
        // quantized weights become float32 here: the worker computes with float32 only
        message = unpackWeights(raw);
      } catch (error) {
        const problem = (error as Error).message;
        this.#update({ problem });
        link.send({ k: "error", message: problem } satisfies FromMember);
        return;
      }
      const m = message as { k?: unknown; indices?: unknown; next?: unknown; params?: unknown };
      const tooMany = (x: unknown) => ArrayBuffer.isView(x) && x.byteLength / 4 > MAX_STEP_EXAMPLES;
      if (m?.k === "step" && (tooMany(m.indices) || tooMany(m.next))) {
        const problem = `a step of more than ${MAX_STEP_EXAMPLES} examples`;
        this.#update({ problem });
        link.send({ k: "error", message: problem } satisfies FromMember);
        return;
      }
      // The worker checks what it computes with; the bridge only keeps count and passes data on.
      if (m?.k === "step" && m.indices instanceof Int32Array && m.indices.length > 0) {
        let { first, last } = this.#progress.shard ?? { first: Infinity, last: -Infinity };
        for (const i of m.indices) {
          if (i < first) first = i;
          if (i > last) last = i;
        }
        const weightBits = message === raw ? 32 : 16;
        this.#update({ shard: { first, last }, weightBits });
      }
      if (message !== raw && m.params instanceof Float32Array) {
        // the weights were just decoded into a buffer of their own: moved, not copied
        this.#worker.link.send(message, [m.params.buffer as ArrayBuffer]);
      } else if (m?.k === "settings" || m?.k === "step") this.#worker.link.send(message);
    });
    const offClose = link.onClose(() => {
      if (this.#link === link) this.#link = undefined;
    });
    this.#stopLink = () => {
      offMessage();
      offClose();
    };
    if (this.#ready) link.send(this.#ready);
  }

  #fromWorker(message: FromMember): void {
    if (message?.k === "ready") {
      this.#ready = message;
      this.#update({ backend: message.backend });
      this.#link?.send(message);
      return;
    }
    if (message?.k === "gradient") {
      const fault = this.#progress.fault;
      if (fault) spoil(message.gradient, fault);
      this.#update({
        steps: this.#progress.steps + 1,
        lastStepMs: message.times.computed - message.times.received,
        lastExamples: message.count,
        lastLoss: message.loss,
        gradientBits: message.gradient.bits,
      });
    } else if (message?.k === "error") {
      this.#update({ problem: message.message });
    }
    this.#link?.send(message);
  }

  #update(change: Partial<MlpProgress>): void {
    this.#progress = { ...this.#progress, ...change };
    for (const listener of this.#listeners) listener(this.#progress);
  }

  dispose(): void {
    this.#stopLink();
    this.#link = undefined;
    this.#listeners.clear();
    this.#worker.dispose();
  }
}
