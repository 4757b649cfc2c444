/**
 * The page's handle on the training worker: typed messages in, the latest snapshot kept until
 * the page draws it (older ones are merged: their losses are kept, their pictures dropped).
 */
import type { PlaygroundState } from "./config.ts";
import type { TrainerCheckpoint } from "./js-trainer.ts";
import type { FromWorker, Snapshot, ToWorker, WorkerBackend } from "./protocol.ts";

export interface ClientOptions {
  state: PlaygroundState;
  gridSize: number;
  thumbSize: number;
  backend: WorkerBackend;
  /** carry on from a checkpoint of an earlier worker */
  from?: TrainerCheckpoint;
  onReady?: (backend: string) => void;
  onError?: (message: string) => void;
}

/** Losses of several snapshots of one run, in order. */
export interface LossBatch {
  run: number;
  /** [epoch, train, test] triples */
  triples: number[];
}

export class TrainingClient {
  readonly #worker: Worker;
  #latest: Snapshot | undefined;
  #losses: LossBatch[] = [];
  #terminated = false;
  #checkpointed: Array<(checkpoint: TrainerCheckpoint) => void> = [];
  backend = "";

  constructor(options: ClientOptions) {
    this.#worker = new Worker(new URL("./worker.ts", import.meta.url), {
      type: "module",
      name: "playground-training",
    });
    this.#worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.type === "ready") {
        this.backend = message.backend;
        options.onReady?.(message.backend);
      } else if (message.type === "error") {
        options.onError?.(message.message);
      } else if (message.type === "checkpoint") {
        for (const resolve of this.#checkpointed.splice(0)) resolve(message.checkpoint);
      } else {
        const s = message.snapshot;
        this.#losses.push({ run: s.run, triples: Array.from(s.losses) });
        this.#latest = s;
      }
    };
    this.#worker.onerror = (event) => options.onError?.(event.message || "the worker failed");
    this.#send({
      type: "init",
      state: options.state,
      gridSize: options.gridSize,
      thumbSize: options.thumbSize,
      backend: options.backend,
      ...(options.from && { from: options.from }),
    });
  }

  #send(message: ToWorker): void {
    if (!this.#terminated) this.#worker.postMessage(message);
  }

  setState(state: PlaygroundState): void {
    this.#send({ type: "state", state });
  }

  play(): void {
    this.#send({ type: "play" });
  }

  pause(): void {
    this.#send({ type: "pause" });
  }

  step(): void {
    this.#send({ type: "step" });
  }

  reset(): void {
    this.#send({ type: "reset" });
  }

  /**
   * Says the page is drawing (once per frame): the worker sends its next snapshot when it has
   * one, and keeps training only while these keep coming.
   */
  pull(): void {
    this.#send({ type: "pull" });
  }

  /** The newest snapshot and every loss since the last call; undefined when nothing came. */
  take(): { snapshot: Snapshot; losses: LossBatch[] } | undefined {
    const snapshot = this.#latest;
    if (!snapshot) return undefined;
    this.#latest = undefined;
    return { snapshot, losses: this.#losses.splice(0) };
  }

  /**
   * Where the worker's run is now; `undefined` if it does not answer within `timeoutMs` (still
   * starting, or failed) or was terminated.
   */
  checkpoint(timeoutMs = 1000): Promise<TrainerCheckpoint | undefined> {
    if (this.#terminated) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#checkpointed = this.#checkpointed.filter((r) => r !== done);
        resolve(undefined);
      }, timeoutMs);
      const done = (checkpoint: TrainerCheckpoint) => {
        clearTimeout(timer);
        resolve(checkpoint);
      };
      this.#checkpointed.push(done);
      this.#send({ type: "checkpoint" });
    });
  }

  terminate(): void {
    this.#terminated = true;
    this.#worker.terminate();
  }
}
