/**
 * The bookkeeping both playground trainers share: the run's number and epoch, and its train and
 * test losses, measured lazily (once per look, since a page looks once per frame while the
 * worker trains many epochs) and kept as [epoch, train, test] triples until taken.
 */
export interface Losses {
  train: number;
  test: number;
}

export class RunLosses {
  #epoch = 0;
  #triples: number[] = [];
  #last: Losses | undefined;
  #run = 0;
  readonly #measure: () => Losses;

  /** `measure` computes the current network's losses (it is called after `begin`). */
  constructor(measure: () => Losses) {
    this.#measure = measure;
  }

  /** bumped whenever the run starts afresh (new data, new network, reset) */
  get run(): number {
    return this.#run;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** A run starts at `epoch` (0 for a fresh one): the losses so far are dropped, these measured. */
  begin(run: number, epoch = 0): void {
    this.#run = run;
    this.#epoch = epoch;
    this.#triples = [];
    this.#last = undefined;
    this.current();
  }

  /** One more epoch trained: measured when someone next looks. */
  trained(): void {
    this.#epoch++;
    this.#last = undefined;
  }

  current(): Losses {
    if (!this.#last) {
      this.#last = this.#measure();
      this.#triples.push(this.#epoch, this.#last.train, this.#last.test);
    }
    return this.#last;
  }

  /** The triples measured since the last call, the current one included. */
  take(): Float64Array {
    this.current();
    const out = Float64Array.from(this.#triples);
    this.#triples = [];
    return out;
  }
}
