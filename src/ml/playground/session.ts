/**
 * The worker's side of a playground run: it trains in time slices while playing, answers the
 * page's pulls with snapshots (at most one per pull, so at most one per frame), and stops
 * training on its own when the page stops pulling (its slide was left, the tab hidden) until
 * the next pull comes. Timers and posting are injected, so the logic runs in a unit test.
 */
import type { PlaygroundState } from "./config.ts";
import {
  stateKey,
  transferables,
  type FromWorker,
  type Snapshot,
  type ToWorker,
} from "./protocol.ts";
import type { Trainer } from "./js-trainer.ts";

export interface SessionHost {
  now(): number;
  post(message: FromWorker, transfer: ArrayBuffer[]): void;
  /** runs `fn` in a later task (after pending messages) */
  later(fn: () => void): void;
}

export interface SessionOptions {
  /** train this long per slice before looking at messages (whole epochs, at least one) */
  sliceMs: number;
  /** keep training this long after the last pull; then wait for the next one */
  leaseMs: number;
}

export const SESSION_DEFAULTS: SessionOptions = { sliceMs: 12, leaseMs: 200 };

export class TrainingSession {
  readonly #trainer: Trainer;
  readonly #host: SessionHost;
  readonly #options: SessionOptions;
  #playing = false;
  #pullPending = false;
  #lastPullAt = -Infinity;
  /** something changed since the last snapshot */
  #dirty = true;
  #scheduled = false;
  #disposed = false;
  /** (time, epoch) samples of the last second, for epochs per second */
  #rate: Array<[number, number]> = [];

  constructor(trainer: Trainer, host: SessionHost, options = SESSION_DEFAULTS) {
    this.#trainer = trainer;
    this.#host = host;
    this.#options = options;
  }

  get playing(): boolean {
    return this.#playing;
  }

  get epoch(): number {
    return this.#trainer.epoch;
  }

  handle(message: ToWorker): void {
    if (this.#disposed) return;
    switch (message.type) {
      case "init":
        return; // handled by whoever made the trainer
      case "state":
        this.#setState(message.state);
        break;
      case "play":
        this.#playing = true;
        this.#rate = [];
        break;
      case "pause":
        this.#playing = false;
        this.#dirty = true;
        break;
      case "step":
        this.#playing = false;
        this.#trainer.trainEpoch();
        this.#dirty = true;
        break;
      case "reset":
        this.#trainer.reset();
        this.#rate = [];
        this.#dirty = true;
        break;
      case "pull":
        this.#pullPending = true;
        this.#lastPullAt = this.#host.now();
        break;
      case "checkpoint":
        this.#host.post({ type: "checkpoint", checkpoint: this.#trainer.checkpoint() }, []);
        return;
    }
    this.#schedule();
  }

  dispose(): void {
    this.#disposed = true;
    this.#trainer.dispose();
  }

  #setState(state: PlaygroundState): void {
    const kind = this.#trainer.setState(state);
    if (kind === "data" || kind === "network") this.#rate = [];
    this.#dirty = true;
  }

  #mayTrain(): boolean {
    return this.#playing && this.#host.now() - this.#lastPullAt < this.#options.leaseMs;
  }

  #schedule(): void {
    if (this.#scheduled || this.#disposed) return;
    if (!this.#mayTrain() && !(this.#pullPending && this.#dirty)) return;
    this.#scheduled = true;
    this.#host.later(() => {
      this.#scheduled = false;
      this.#turn();
    });
  }

  /** One turn of the loop: a slice of training, then a snapshot if the page asked for one. */
  #turn(): void {
    if (this.#disposed) return;
    if (this.#mayTrain()) {
      const start = this.#host.now();
      do {
        this.#trainer.trainEpoch();
      } while (this.#host.now() - start < this.#options.sliceMs);
      this.#dirty = true;
      this.#sampleRate();
    }
    if (this.#pullPending && this.#dirty) this.#postSnapshot();
    this.#schedule();
  }

  #sampleRate(): void {
    const now = this.#host.now();
    this.#rate.push([now, this.#trainer.epoch]);
    while (this.#rate.length > 2 && now - (this.#rate[0] as [number, number])[0] > 1000)
      this.#rate.shift();
  }

  #epochsPerSecond(): number {
    if (!this.#playing || this.#rate.length < 2) return 0;
    const [t0, e0] = this.#rate[0] as [number, number];
    const [t1, e1] = this.#rate[this.#rate.length - 1] as [number, number];
    return t1 > t0 ? ((e1 - e0) * 1000) / (t1 - t0) : 0;
  }

  snapshot(): Snapshot {
    const t = this.#trainer;
    const losses = t.takeLosses();
    const { output, neurons } = t.pictures();
    return {
      run: t.run,
      epoch: t.epoch,
      playing: this.#playing,
      trainLoss: t.trainLoss,
      testLoss: t.testLoss,
      losses,
      weights: t.weights(),
      output,
      neurons,
      state: stateKey(t.state),
      epochsPerSecond: this.#epochsPerSecond(),
    };
  }

  #postSnapshot(): void {
    const snapshot = this.snapshot();
    this.#pullPending = false;
    this.#dirty = false;
    this.#host.post({ type: "snapshot", snapshot }, transferables(snapshot));
  }
}
