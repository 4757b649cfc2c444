/**
 * A member's side of the direct ring (synchronous ring all-reduce without the coordinator on a
 * step's path): the member holds its own copy of the parameters, draws its own batches (they are
 * a pure function of shard, draw and seed), and every step it computes its gradient, reduces it
 * with its neighbours over MessagePorts (reduce-scatter, then all-gather: the same hops and the
 * same arithmetic as `ringAllReduce`) and applies the average itself. Every member ends each step
 * with bit-identical parameters, since each chunk is summed by one member and then copied.
 *
 * The coordinator only hears of the steps afterwards, a few at a time (loss, count, times; from
 * the first member also the parameters, for its checkpoints) and can halt the ring at any time: a
 * member then answers with the parameters after its last whole step. A dead neighbour stalls the ring; the coordinator notices
 * by its timeout, halts it, and forms a new one from the members that answered.
 */
import { dequantize, quantize, type Quantized, type WireBits } from "../quantize/affine.ts";
import {
  applyGradient,
  lossAndGradient,
  prepareBatch,
  type PreparedBatch,
  type Tf,
} from "./mlp.ts";
import { wallClock, type FromMember, type RingReport, type RingStart } from "./protocol.ts";
import { batchIndices } from "./shards.ts";
import type { Batch } from "./mlp.ts";

/** One chunk between neighbours: float32 values, or their quantized form. */
type Chunk = { values: Float32Array } | { q: Quantized };

interface PeerMessage {
  epoch: number;
  chunk: Chunk;
}

/** how often a member sends its step reports (the first member with its parameters), ms */
const REPORT_MS = 25;

/**
 * How long a member waiting for its neighbour keeps its thread busy (handing itself messages)
 * before it sleeps. An idle thread's core halts, and in a VM a halted vCPU takes a while to be
 * woken when the neighbour's message comes; a busy one takes the message at its next task.
 * Longer waits than this (a straggler, a dead neighbour) sleep as before. Measured at batch 128
 * on 2 workers: a step 2.2–2.5 ms against 2.6–3.0 (bench/README.md).
 */
const SPIN_MS = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets messages in (a halt, new settings) between the steps of a ring of one: a message to
 * itself, which (unlike a chain of timers, clamped to 4 ms) comes back at once.
 */
const inNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
  "string";

class Yielder {
  readonly #channel = new MessageChannel();
  #wake: (() => void) | undefined;

  constructor() {
    this.#channel.port1.onmessage = () => {
      const wake = this.#wake;
      this.#wake = undefined;
      wake?.();
    };
  }

  next(): Promise<void> {
    // Node delivers a port's messages to itself ahead of other ports' (the coordinator's, in an
    // in-process test): a timer there, which Node does not clamp
    if (inNode) return new Promise((resolve) => setTimeout(resolve, 0));
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#channel.port2.postMessage(null);
    });
  }

  close(): void {
    this.#channel.port1.close();
    this.#channel.port2.close();
    this.#wake?.();
  }
}

function bounds(length: number, n: number, c: number): [number, number] {
  return [Math.floor((c * length) / n), Math.floor(((c + 1) * length) / n)];
}

function toWire(values: Float32Array, bits: WireBits): Chunk {
  if (bits === 32 || values.length === 0) return { values: values.slice() };
  return { q: quantize(values, bits) };
}

function fromWire(chunk: Chunk): Float32Array {
  return "values" in chunk ? chunk.values : dequantize(chunk.q);
}

function buffersOf(chunk: Chunk): Transferable[] {
  if ("values" in chunk) return [chunk.values.buffer as ArrayBuffer];
  return [chunk.q.values.buffer, chunk.q.min.buffer, chunk.q.scale.buffer] as ArrayBuffer[];
}

export interface RingContext {
  tf: Tf;
  /** the member's examples gathered into a batch */
  gather: (indices: Int32Array) => Batch;
  send: (message: FromMember, transfer?: Transferable[]) => void;
  /** the straggler's factor, read every step */
  slowdown: () => number;
}

export class RingRun {
  readonly #start: RingStart;
  readonly #ctx: RingContext;
  readonly #params: Float32Array;
  readonly #gradient: Float32Array;
  readonly #inbox: PeerMessage[] = [];
  #waiting: ((m: PeerMessage | undefined) => void) | undefined;
  #halted = false;
  /** the neighbour's last buffer, to send this member's next gradient in */
  #spare: Float32Array | undefined;
  /** reports not yet sent to the coordinator */
  #pending: RingReport[] = [];
  #flushedAt = 0;
  #step: number;
  #draw: number;
  /** keeps the thread busy while a neighbour's chunk is on its way (rings of two or more) */
  #spinner: Yielder | undefined;
  readonly done: Promise<void>;

  constructor(start: RingStart, ctx: RingContext) {
    this.#start = start;
    this.#ctx = ctx;
    this.#params = start.params;
    this.#gradient = new Float32Array(start.params.length);
    this.#step = start.step;
    this.#draw = start.draw;
    if (start.left) {
      start.left.onmessage = (event: MessageEvent<PeerMessage>) => {
        if (event.data?.epoch !== start.epoch) return;
        if (this.#waiting) {
          const wake = this.#waiting;
          this.#waiting = undefined;
          wake(event.data);
        } else this.#inbox.push(event.data);
      };
    }
    this.done = this.#loop().catch((error: unknown) => {
      if (!this.#halted) {
        ctx.send({ k: "error", message: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  get epoch(): number {
    return this.#start.epoch;
  }

  /** Stops after the step under way (a partial step is dropped); answers with the parameters. */
  async halt(): Promise<void> {
    this.#halted = true;
    this.#waiting?.(undefined);
    this.#waiting = undefined;
    await this.done;
    this.#start.left?.close();
    this.#start.right?.close();
    this.#flush(wallClock());
    const params = this.#params.slice();
    this.#ctx.send(
      { k: "halted", epoch: this.#start.epoch, step: this.#step, draw: this.#draw, params },
      [params.buffer],
    );
  }

  #flush(now: number): void {
    if (this.#pending.length === 0) return;
    const params = this.#start.position === 0 ? this.#params.slice() : undefined;
    this.#ctx.send(
      {
        k: "ringSteps",
        epoch: this.#start.epoch,
        steps: this.#pending,
        ...(params ? { params, paramsStep: this.#step } : {}),
      },
      params ? [params.buffer] : [],
    );
    this.#pending = [];
    this.#flushedAt = now;
  }

  async #receive(): Promise<PeerMessage | undefined> {
    const until = wallClock() + SPIN_MS;
    while (this.#inbox.length === 0 && !this.#halted && this.#spinner && wallClock() < until) {
      await this.#spinner.next();
    }
    const queued = this.#inbox.shift();
    if (queued || this.#halted) return queued;
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  #post(chunk: Chunk): void {
    this.#start.right!.postMessage(
      { epoch: this.#start.epoch, chunk } satisfies PeerMessage,
      buffersOf(chunk),
    );
  }

  /** Sums `g` over the ring and divides by its size; false if halted on the way. */
  async #allReduce(g: Float32Array, whileWaiting: () => void): Promise<boolean> {
    const { size: n, position: i, bits } = this.#start;
    if (n === 1) return true;
    const length = g.length;
    if (n === 2) {
      // Two workers swap whole gradients: the same bytes as the ring's two hops of half a
      // gradient each, in one hop (a hop between workers costs far more than its bytes here).
      // Each adds the same two wire forms, so both end with the same sum.
      // At 32 bits the two buffers go back and forth: a step allocates nothing of 200 KB
      // (garbage collection of such arrays took cores from the workers).
      const spare = this.#spare?.length === length ? this.#spare : undefined;
      this.#spare = undefined;
      const mine: Chunk =
        bits === 32 && spare ? (spare.set(g), { values: spare }) : toWire(g, bits);
      if ("q" in mine) g.set(fromWire(mine));
      this.#post(mine);
      whileWaiting();
      const m = await this.#receive();
      if (!m) return false;
      const other = fromWire(m.chunk);
      for (let k = 0; k < length; k++) g[k] = (g[k]! + other[k]!) / 2;
      if ("values" in m.chunk) this.#spare = m.chunk.values;
      return true;
    }
    const mod = (x: number) => ((x % n) + n) % n;
    for (let s = 0; s < n - 1; s++) {
      const [a, b] = bounds(length, n, mod(i - s));
      this.#post(toWire(g.subarray(a, b), bits));
      if (s === 0) whileWaiting();
      const m = await this.#receive();
      if (!m) return false;
      const [c, d] = bounds(length, n, mod(i - 1 - s));
      const values = fromWire(m.chunk);
      for (let k = 0; k < d - c; k++) g[c + k] = g[c + k]! + values[k]!;
    }
    // the chunk this member summed in full: every member will hold exactly its wire form
    const [a, b] = bounds(length, n, mod(i + 1));
    let forward = toWire(g.subarray(a, b), bits);
    g.set(fromWire(forward), a);
    for (let s = 0; s < n - 1; s++) {
      // a quantized chunk is forwarded as it came, never quantized again
      const copy: Chunk =
        "values" in forward
          ? { values: forward.values.slice() }
          : {
              q: {
                ...forward.q,
                values: forward.q.values.slice(),
                min: forward.q.min.slice(),
                scale: forward.q.scale.slice(),
              },
            };
      this.#post(copy);
      const m = await this.#receive();
      if (!m) return false;
      const [c] = bounds(length, n, mod(i - s));
      g.set(fromWire(m.chunk), c);
      forward = m.chunk;
    }
    for (let k = 0; k < length; k++) g[k] = g[k]! / n;
    return true;
  }

  async #loop(): Promise<void> {
    const { tf, gather } = this.#ctx;
    const { shard, batch, seed, learningRate } = this.#start;
    let ahead: PreparedBatch | undefined;
    const yielder = this.#start.size === 1 ? new Yielder() : undefined;
    // only with a core for every member: with more members than cores, a waiting member's
    // spinning takes the core from one still computing (4 on 2 cores fell from 82k to 27k/s)
    const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)
      ?.hardwareConcurrency;
    const spin = this.#start.size > 1 && this.#start.size <= (cores ?? 1) && !inNode;
    this.#spinner = spin ? new Yielder() : undefined;
    try {
      while (!this.#halted) {
        const received = wallClock();
        const prepared =
          ahead ?? prepareBatch(tf, gather(batchIndices(shard, this.#draw, batch, seed)));
        ahead = undefined;
        let loss: number;
        try {
          ({ loss } = await lossAndGradient(tf, this.#params, prepared, undefined, this.#gradient));
        } finally {
          prepared.dispose();
        }
        const computed = wallClock();
        const slow = this.#ctx.slowdown();
        if (slow > 1) await sleep((computed - received) * (slow - 1));
        const reduceFrom = wallClock();
        // the next batch, once the first chunk is sent and while the neighbour's is on its way
        const prepareNext = () => {
          ahead = prepareBatch(tf, gather(batchIndices(shard, this.#draw + 1, batch, seed)));
        };
        if (!(await this.#allReduce(this.#gradient, prepareNext))) break;
        if (this.#halted) break;
        applyGradient(this.#params, this.#gradient, learningRate);
        this.#step++;
        this.#draw++;
        const sent = wallClock();
        this.#pending.push({
          step: this.#step,
          loss,
          count: batch,
          times: { received, computed, reduced: reduceFrom, sent },
        });
        // reports go in batches (a message each step took a share of a core to deliver); the
        // first member's parameters with them, for checkpoints (a halt sends the exact ones)
        if (sent - this.#flushedAt >= REPORT_MS) this.#flush(sent);
        if (yielder) await yielder.next();
      }
    } finally {
      ahead?.dispose();
      yielder?.close();
      this.#spinner?.close();
      this.#spinner = undefined;
    }
  }
}
