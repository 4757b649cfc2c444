/**
 * The member side of the phase-1 stand-in training: answers the presenter's parameters with a
 * gradient of its shard (at 8 bits when asked, as bytes), and pings with pongs. What it has done
 * outlives any one link: when the connection drops and comes back, the steps count on, and the
 * presenter sends the shard again on the new link.
 */
import type { Link } from "../ml/distributed/transport.ts";
import { quantize } from "../ml/quantize/affine.ts";
import { parseToDemoMember, type DemoGradient, type ToDemoMember } from "./demo-protocol.ts";
import type { LinearShard } from "./linear-task.ts";
import type { MemberCompute } from "./member-compute.ts";

export interface MemberProgress {
  shard: LinearShard | null;
  steps: number;
  /** the presenter's step the last gradient answered */
  lastStep: number | null;
  lastStepMs: number | null;
  lastLoss: number | null;
  backend: string;
  computing: boolean;
  /** messages from the presenter that did not make sense (ignored) */
  ignored: number;
}

export class MemberWork {
  readonly #compute: MemberCompute<LinearShard>;
  readonly #listeners = new Set<(progress: MemberProgress) => void>();
  readonly #abort = new AbortController();
  #progress: MemberProgress;
  /** parameters that arrived while a gradient was being computed: only the latest is kept */
  #pending: { link: Link; message: Extract<ToDemoMember, { type: "params" }> } | undefined;

  constructor(compute: MemberCompute<LinearShard>) {
    this.#compute = compute;
    this.#progress = {
      shard: null,
      steps: 0,
      lastStep: null,
      lastStepMs: null,
      lastLoss: null,
      backend: compute.backend,
      computing: false,
      ignored: 0,
    };
  }

  get progress(): MemberProgress {
    return this.#progress;
  }

  onProgress(listener: (progress: MemberProgress) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#progress);
    return () => this.#listeners.delete(listener);
  }

  /** Serves the presenter on `link` until it closes. */
  attach(link: Link): void {
    const stop = link.onMessage((raw) => {
      const message = parseToDemoMember(raw);
      if (!message) return this.#update({ ignored: this.#progress.ignored + 1 });
      switch (message.type) {
        case "ping":
          link.send({ type: "pong", n: message.n });
          return;
        case "task":
          return this.#update({ shard: message.shard });
        case "params":
          this.#pending = { link, message };
          if (!this.#progress.computing) void this.#work();
          return;
      }
    });
    link.onClose(() => {
      stop();
      if (this.#pending?.link === link) this.#pending = undefined;
    });
  }

  async #work(): Promise<void> {
    this.#update({ computing: true });
    try {
      while (this.#pending && !this.#abort.signal.aborted) {
        const { link, message } = this.#pending;
        this.#pending = undefined;
        const shard = this.#progress.shard;
        if (!shard) continue; // no task yet: the presenter sends one first
        const start = performance.now();
        const result = await this.#compute.gradient(message.params, shard, this.#abort.signal);
        const ms = performance.now() - start;
        link.send(encodeGradient(message.step, result, ms, message.bits));
        this.#update({
          steps: this.#progress.steps + 1,
          lastStep: message.step,
          lastStepMs: ms,
          lastLoss: result.loss,
        });
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) console.error("room: computing a gradient failed", error);
    } finally {
      this.#update({ computing: false });
    }
  }

  #update(change: Partial<MemberProgress>): void {
    this.#progress = { ...this.#progress, ...change };
    for (const listener of this.#listeners) listener(this.#progress);
  }

  dispose(): void {
    this.#abort.abort();
    this.#pending = undefined;
    this.#listeners.clear();
    this.#compute.dispose();
  }
}

function encodeGradient(
  step: number,
  result: { gradient: Float32Array; loss: number; examples: number },
  ms: number,
  bits: 8 | 32,
): DemoGradient {
  const base = {
    type: "gradient" as const,
    step,
    loss: result.loss,
    examples: result.examples,
    ms,
  };
  const finite = result.gradient.every(Number.isFinite);
  if (bits === 8 && finite) {
    const q = quantize(result.gradient, 8);
    return { ...base, bits: 8, values: q.values as Uint8Array, min: q.min, scale: q.scale };
  }
  // Not finite: sent as it is, so that the presenter sees what went wrong and says so.
  return { ...base, bits: 32, values: result.gradient };
}
