/**
 * The page's side of the stage workers: a two-stage pipeline (model parallelism) and a group
 * of whole-network replicas (data parallelism, the page summing their gradients like a
 * parameter server). Both start from the same parameters and read the same MNIST examples.
 * `dispose()` terminates every worker.
 */
import { flatten, initMlp, MLP_SIZES, stageSizes, unflatten, type LayerParams } from "./mlp.ts";
import { balancedSplit, type Balance } from "./balance.ts";
import { pageIdle, probeLink, type LinkProbe, type ProbeOptions } from "./link-probe.ts";
import type { StageEvent } from "./pipeline.ts";
import { wallClock, type FromStage, type StageBackend, type ToStage } from "./protocol.ts";

export interface Dataset {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

const live = new Set<Worker>();
/** How many stage workers this page is running (for tests and the on-screen count). */
export function liveStageWorkers(): number {
  return live.size;
}

/** One worker and the replies it owes, in order per type. */
class StageWorker {
  readonly #worker: Worker;
  readonly #waiters = new Map<string, Array<(m: FromStage) => void>>();
  #failure: Error | undefined;
  readonly #rejecters = new Set<(e: Error) => void>();
  backend = "";

  constructor(name: string) {
    this.#worker = new Worker(new URL("./stage-worker.ts", import.meta.url), {
      type: "module",
      name,
    });
    live.add(this.#worker);
    this.#worker.onmessage = (event: MessageEvent<FromStage>) => {
      const m = event.data;
      if (m.type === "error") return this.#fail(new Error(m.message));
      this.#waiters.get(m.type)?.shift()?.(m);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(new Error(event.message || "a stage worker failed"));
    };
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const reject of this.#rejecters) reject(error);
    this.#rejecters.clear();
  }

  next<T extends FromStage["type"]>(type: T): Promise<Extract<FromStage, { type: T }>> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#rejecters.add(reject);
      const list = this.#waiters.get(type) ?? [];
      list.push((m) => {
        this.#rejecters.delete(reject);
        resolve(m as Extract<FromStage, { type: T }>);
      });
      this.#waiters.set(type, list);
    });
  }

  send(message: ToStage, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  terminate(): void {
    this.#worker.terminate();
    live.delete(this.#worker);
    this.#fail(new Error("the stage worker was stopped"));
  }
}

interface Common {
  data: Dataset;
  lr?: number;
  backend?: StageBackend;
  /** initial parameters (default: `initMlp()`) */
  layers?: LayerParams[];
  /** the step to start at, which decides the first batch (default 0) */
  firstStep?: number;
}

/** What a group of workers needs to carry on where it stopped. */
export interface Checkpoint {
  layers: LayerParams[];
  step: number;
}

function startWorker(
  name: string,
  stage: number,
  sizes: number[],
  layers: LayerParams[],
  options: Common & { first: boolean; last: boolean },
): StageWorker {
  const w = new StageWorker(name);
  const params = flatten(layers);
  // Copies, handed over rather than cloned again: each engine reads its own examples.
  const images = options.data.images.slice();
  const labels = options.data.labels.slice();
  w.send(
    {
      type: "init",
      stage,
      sizes,
      params,
      first: options.first,
      last: options.last,
      lr: options.lr ?? 0.1,
      backend: options.backend ?? "wasm",
      images,
      labels,
    },
    [params.buffer, images.buffer, labels.buffer],
  );
  return w;
}

async function ready(workers: StageWorker[]): Promise<string> {
  const replies = await Promise.all(workers.map((w) => w.next("ready")));
  replies.forEach((r, i) => (workers[i]!.backend = r.backend));
  return [...new Set(replies.map((r) => r.backend))].join(", ");
}

export interface StepResult {
  loss: number;
  /** wall time of the step as the page saw it, ms */
  ms: number;
  events: StageEvent[];
  examples: number;
}

/**
 * The network split across two workers, trained GPipe style; the cut is where both stages have
 * about the same work (balance.ts) unless `split` says otherwise.
 */
export class Pipeline {
  /** where the network is cut, and each stage's share of the work */
  readonly balance: Balance;
  readonly #workers: [StageWorker, StageWorker];
  readonly #data: Dataset;
  readonly #sizes: number[];
  readonly ready: Promise<string>;
  #step = 0;

  constructor(options: Common & { split?: number }) {
    const layers = options.layers ?? initMlp();
    const sizes = [layers[0]!.inputs, ...layers.map((l) => l.outputs)];
    this.balance = balancedSplit(sizes);
    const split = options.split ?? this.balance.split;
    if (!(split >= 1 && split < layers.length)) throw new RangeError(`no split after ${split}`);
    this.#data = options.data;
    this.#sizes = sizes;
    this.#step = options.firstStep ?? 0;
    this.#workers = [
      startWorker("pipeline-stage-0", 0, stageSizes(sizes, 0, split), layers.slice(0, split), {
        ...options,
        first: true,
        last: false,
      }),
      startWorker(
        "pipeline-stage-1",
        1,
        stageSizes(sizes, split, sizes.length - 1),
        layers.slice(split),
        {
          ...options,
          first: false,
          last: true,
        },
      ),
    ];
    const channel = new MessageChannel();
    this.#workers[0].send({ type: "peer", port: channel.port1 }, [channel.port1]);
    this.#workers[1].send({ type: "peer", port: channel.port2 }, [channel.port2]);
    this.ready = ready(this.#workers);
  }

  /** One step of `size` examples in `micro` micro-batches; both stages report when done. */
  async step(size: number, micro: number): Promise<StepResult> {
    const step = this.#step++;
    const start = (step * size) % (this.#data.count - size);
    const t0 = wallClock();
    const done = this.#workers.map((w) => w.next("done"));
    // the last stage first, so it knows the step before the first activations reach it
    this.#workers[1].send({ type: "pipe", step, start, size, micro });
    this.#workers[0].send({ type: "pipe", step, start, size, micro });
    const [a, b] = await Promise.all(done);
    return {
      loss: b!.loss,
      ms: wallClock() - t0,
      events: [...a!.events, ...b!.events],
      examples: size,
    };
  }

  async parameters(): Promise<Float32Array> {
    const replies = await Promise.all(
      this.#workers.map((w) => {
        const p = w.next("params");
        w.send({ type: "params" });
        return p;
      }),
    );
    const [first, second] = [replies[0]!.params, replies[1]!.params];
    // Copied, not spread: a spread of 100k floats holds the page for a few hundred ms.
    const all = new Float32Array(first.length + second.length);
    all.set(first);
    all.set(second, first.length);
    return all;
  }

  async checkpoint(): Promise<Checkpoint> {
    const step = this.#step;
    return { layers: unflatten(this.#sizes, await this.parameters()), step };
  }

  dispose(): void {
    for (const w of this.#workers) w.terminate();
  }
}

/** `count` whole-network replicas; the page sums their gradients and sends the sum back. */
export class DataParallel {
  readonly #workers: StageWorker[];
  readonly #data: Dataset;
  readonly ready: Promise<string>;
  readonly count: number;
  #step = 0;

  constructor(count: number, options: Common) {
    const layers = options.layers ?? initMlp();
    const sizes = [layers[0]!.inputs, ...layers.map((l) => l.outputs)];
    this.count = count;
    this.#data = options.data;
    this.#workers = Array.from({ length: count }, (_, i) =>
      startWorker(`data-parallel-${i}`, i, sizes, layers, { ...options, first: true, last: true }),
    );
    this.ready = ready(this.#workers);
  }

  /** One synchronous step of `size` examples shared out among the replicas. */
  async step(size: number): Promise<StepResult> {
    const step = this.#step++;
    const start = (step * size) % (this.#data.count - size);
    const t0 = wallClock();
    const n = this.#workers.length;
    const replies = await Promise.all(
      this.#workers.map((w, i) => {
        const from = Math.floor((i * size) / n);
        const to = Math.floor(((i + 1) * size) / n);
        const reply = w.next("grads");
        w.send({ type: "grad", step, start: start + from, size: to - from, total: size });
        return reply;
      }),
    );
    const sum = replies[0]!.grads;
    for (const r of replies.slice(1)) for (let k = 0; k < sum.length; k++) sum[k]! += r.grads[k]!;
    this.#workers.forEach((w, i) => {
      const copy = i === n - 1 ? sum : sum.slice();
      w.send({ type: "apply", grads: copy }, [copy.buffer]);
    });
    return {
      loss: replies.reduce((s, r) => s + r.loss, 0),
      ms: wallClock() - t0,
      events: replies.flatMap((r) => r.events),
      examples: size,
    };
  }

  async parameters(): Promise<Float32Array> {
    const w = this.#workers[0]!;
    const reply = w.next("params");
    w.send({ type: "params" });
    return (await reply).params;
  }

  /**
   * The page↔worker link's latency (from an empty message) and bandwidth (from one of `bytes`),
   * from round trips to worker 0 while it is idle: see link-probe.ts for why not a single one.
   */
  ping(bytes: number, options: ProbeOptions = {}): Promise<LinkProbe> {
    const w = this.#workers[0]!;
    const echo = async (payload: ArrayBuffer) => {
      const reply = w.next("echo");
      w.send({ type: "echo", payload }); // copied there, moved back: a gradient is copied once
      await reply;
    };
    return probeLink(echo, bytes, { idle: pageIdle(), ...options });
  }

  dispose(): void {
    for (const w of this.#workers) w.terminate();
  }
}

/** Bytes of gradient per step of the pipeline's network at 32 bits. */
export function mlpBytes(sizes: readonly number[] = MLP_SIZES): number {
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += sizes[i - 1]! * sizes[i]! + sizes[i]!;
  return 4 * n;
}
