/**
 * The presenter's side of the phase-1 stand-in: synchronous data-parallel SGD on the linear task,
 * one member per link. Each step sends the parameters to every member, waits for their gradients
 * (no longer than `stepTimeoutMs`), averages what came back weighted by examples, and steps. A
 * member whose message is unusable (wrong type, wrong length, NaN) is removed, with the reason.
 * The distributed coordinator of issue 10 takes this role in phase 2; this one exists so that
 * real messages cross the room in the tests. No DOM.
 */
import type { Link } from "../ml/distributed/transport.ts";
import { dequantize } from "../ml/quantize/affine.ts";
import { parseFromDemoMember, type DemoGradient } from "./demo-protocol.ts";
import { linearLoss, shardData, type LinearData, type LinearShard } from "./linear-task.ts";

export interface DemoTrainerOptions {
  features: number;
  examplesPerShard: number;
  shards: number;
  seed: number;
  learningRate: number;
  /** bits the members send their gradients at */
  bits: 8 | 32;
  /** the longest a step waits for a member */
  stepTimeoutMs: number;
  /** steps no closer than this (a room of phones need not be flooded) */
  minStepMs: number;
}

export const DEFAULT_TRAINER: DemoTrainerOptions = {
  features: 8,
  examplesPerShard: 256,
  shards: 8,
  seed: 1,
  learningRate: 0.2,
  bits: 8,
  stepTimeoutMs: 2000,
  minStepMs: 50,
};

export interface StepRecord {
  step: number;
  /** milliseconds since the trainer started */
  time: number;
  loss: number;
  /** members whose gradient made it into this step */
  contributors: number;
  /** members asked but not heard in time */
  missing: number;
}

export interface MemberEvent {
  time: number;
  id: number;
  kind: "joined" | "left" | "removed";
  reason: string;
}

interface Member {
  id: number;
  link: Link;
  shard: LinearShard;
  steps: number;
}

interface StepWait {
  step: number;
  waiting: Set<number>;
  gradients: { id: number; gradient: Float32Array; examples: number }[];
  done: () => void;
}

const now = () => performance.now();

export class DemoTrainer {
  readonly options: DemoTrainerOptions;
  readonly history: StepRecord[] = [];
  readonly events: MemberEvent[] = [];
  readonly #members = new Map<number, Member>();
  readonly #pongs = new Map<string, () => void>();
  readonly #evaluation: LinearData;
  readonly #started = now();
  #params: Float32Array;
  #step = 0;
  #wait: StepWait | undefined;

  constructor(options: Partial<DemoTrainerOptions> = {}) {
    this.options = { ...DEFAULT_TRAINER, ...options };
    this.#params = new Float32Array(this.options.features + 1);
    this.#evaluation = shardData(this.#shard(this.options.shards));
  }

  get params(): Float32Array {
    return this.#params;
  }

  get step(): number {
    return this.#step;
  }

  members(): { id: number; shard: number; steps: number }[] {
    return [...this.#members.values()].map((m) => ({
      id: m.id,
      shard: m.shard.index,
      steps: m.steps,
    }));
  }

  loss(): number {
    return linearLoss(this.#params, this.#evaluation);
  }

  #shard(index: number): LinearShard {
    const { shards, seed, examplesPerShard, features } = this.options;
    return { index, count: shards, seed, examples: examplesPerShard, features };
  }

  #time(): number {
    return now() - this.#started;
  }

  /** Takes a member on: it gets its shard at once, and the parameters from the next step. */
  addMember(id: number, link: Link): void {
    this.#members.get(id)?.link.close("replaced");
    const member: Member = {
      id,
      link,
      shard: this.#shard((id - 1) % this.options.shards),
      steps: 0,
    };
    this.#members.set(id, member);
    this.events.push({ time: this.#time(), id, kind: "joined", reason: "" });
    link.onMessage((message) => this.#receive(member, message));
    link.onClose((reason) => this.#gone(member, reason, "left"));
    link.send({ type: "task", shard: member.shard });
  }

  #gone(member: Member, reason: string, kind: "left" | "removed"): void {
    if (this.#members.get(member.id) !== member) return;
    this.#members.delete(member.id);
    this.events.push({ time: this.#time(), id: member.id, kind, reason });
    const wait = this.#wait;
    if (wait?.waiting.delete(member.id) && wait.waiting.size === 0) wait.done();
  }

  #remove(member: Member, reason: string): void {
    this.#gone(member, reason, "removed");
    member.link.close(reason);
  }

  #receive(member: Member, raw: unknown): void {
    const parsed = parseFromDemoMember(raw, this.options.features + 1);
    if (!parsed.ok) return this.#remove(member, parsed.reason);
    const message = parsed.message;
    if (message.type === "pong") {
      this.#pongs.get(`${member.id}:${message.n}`)?.();
      return;
    }
    const gradient = toFloat(message);
    if (!gradient.every(Number.isFinite))
      return this.#remove(member, "gradient has NaN or infinite values");
    const wait = this.#wait;
    if (!wait || message.step !== wait.step || !wait.waiting.has(member.id)) return; // stale
    wait.waiting.delete(member.id);
    wait.gradients.push({ id: member.id, gradient, examples: message.examples });
    member.steps++;
    if (wait.waiting.size === 0) wait.done();
  }

  /** One synchronous step over the members present now; undefined when there are none. */
  async runStep(): Promise<StepRecord | undefined> {
    const asked = [...this.#members.values()];
    if (asked.length === 0) return undefined;
    const step = ++this.#step;
    const wait: StepWait = {
      step,
      waiting: new Set(asked.map((m) => m.id)),
      gradients: [],
      done: () => {},
    };
    const finished = new Promise<void>((resolve) => {
      wait.done = resolve;
    });
    this.#wait = wait;
    const timer = setTimeout(() => wait.done(), this.options.stepTimeoutMs);
    for (const member of asked) {
      member.link.send({ type: "params", step, params: this.#params, bits: this.options.bits });
    }
    await finished;
    clearTimeout(timer);
    this.#wait = undefined;

    const total = wait.gradients.reduce((sum, g) => sum + g.examples, 0);
    if (total > 0) {
      const next = this.#params.slice();
      for (const { gradient, examples } of wait.gradients) {
        const weight = (this.options.learningRate * examples) / total;
        for (let i = 0; i < next.length; i++) next[i]! -= weight * gradient[i]!;
      }
      this.#params = next;
    }
    const record: StepRecord = {
      step,
      time: this.#time(),
      loss: this.loss(),
      contributors: wait.gradients.length,
      missing: wait.waiting.size,
    };
    this.history.push(record);
    return record;
  }

  /** Steps until `signal` aborts; idles while no member is present. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const start = now();
      await this.runStep();
      const rest = Math.max(this.options.minStepMs - (now() - start), this.#members.size ? 0 : 100);
      await new Promise((resolve) => setTimeout(resolve, rest));
    }
  }

  /** Round trips of one small message to member `id` and back, in milliseconds, one at a time. */
  async roundTrips(id: number, count: number, timeoutMs = 5000): Promise<number[]> {
    const member = this.#members.get(id);
    if (!member) throw new Error(`no member #${id}`);
    const times: number[] = [];
    for (let n = 0; n < count; n++) {
      const key = `${id}:${n}`;
      const start = now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no pong from #${id} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        this.#pongs.set(key, () => {
          clearTimeout(timer);
          resolve();
        });
        member.link.send({ type: "ping", n });
      }).finally(() => this.#pongs.delete(key));
      times.push(now() - start);
    }
    return times;
  }
}

function toFloat(message: DemoGradient): Float32Array {
  if (message.bits === 32) return message.values;
  return dequantize({
    bits: 8,
    values: message.values,
    min: message.min,
    scale: message.scale,
    channels: 1,
  });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
