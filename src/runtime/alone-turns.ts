/**
 * Turns for cells whose result is a timing (`await measuring.alone()`): a turn starts once no
 * other cell on show is still measuring, so that a speed-up or a throughput is not timed while
 * another slide trains on the same cores. On screen that is at once (other slides are paused);
 * the printed deck, which runs every cell together, is where it waits. Turns are taken one at a
 * time, in the order asked for. Cells that wait for a turn do not hold each other up, and a wait
 * is bounded: a cell that measures for ever must not stop every timing for good.
 */

export interface AloneTurnsOptions<K> {
  /** the cells measuring now (those waiting for a turn, or holding one, included) */
  busy(): readonly K[];
  /** how often the busy cells are looked at (default 250 ms) */
  pollMs?: number;
  /** the longest a turn waits for busy cells (default 60 s); the order of turns still holds */
  maxWaitMs?: number;
  /** ms (default performance.now) */
  now?: () => number;
}

interface Waiting<K> {
  key: K;
  since: number;
  start(release: () => void): void;
  /** set once the turn has started */
  turn?: { key: K };
}

export class AloneTurns<K> {
  readonly #options: Required<AloneTurnsOptions<K>>;
  readonly #waiting: Array<Waiting<K>> = [];
  #holder: { key: K } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AloneTurnsOptions<K>) {
    this.#options = {
      pollMs: 250,
      maxWaitMs: 60_000,
      now: () => performance.now(),
      ...options,
    };
  }

  /** Resolves with the function that ends the turn; an aborted `signal` ends it (or the wait). */
  take(key: K, signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const entry: Waiting<K> = { key, since: this.#options.now(), start: resolve };
      this.#waiting.push(entry);
      signal?.addEventListener(
        "abort",
        () => {
          const at = this.#waiting.indexOf(entry);
          if (at >= 0) {
            this.#waiting.splice(at, 1);
            reject(signal.reason);
          }
          if (entry.turn) this.#end(entry.turn);
        },
        { once: true },
      );
      this.#check();
    });
  }

  /** Ends `key`'s turn if it holds one: its run is over, whether or not it said so. */
  endFor(key: K): void {
    if (this.#holder?.key === key) this.#end(this.#holder);
  }

  /** the cell holding the turn now, if any */
  get holder(): K | undefined {
    return this.#holder?.key;
  }

  #end(turn: { key: K }): void {
    if (this.#holder !== turn) return; // ended already
    this.#holder = undefined;
    this.#check();
  }

  #check(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.#waiting[0];
    if (!next || this.#holder) return;
    const mine = new Set(this.#waiting.map((w) => w.key));
    const others = this.#options.busy().filter((key) => !mine.has(key));
    const waited = this.#options.now() - next.since;
    if (others.length && waited < this.#options.maxWaitMs) {
      this.#timer = setTimeout(() => this.#check(), this.#options.pollMs);
      (this.#timer as { unref?: () => void }).unref?.();
      return;
    }
    this.#waiting.shift();
    const turn = { key: next.key };
    next.turn = this.#holder = turn;
    next.start(() => this.#end(turn));
  }
}
