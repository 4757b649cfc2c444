/**
 * Workers that end when nobody uses them. A cell's generator is paused, not ended, when its
 * slide is left: it stops being asked for values. A `Lease` makes its workers on demand
 * (`get`), and `idle()`, called before each `yield`, starts a timer: if `get` is not called
 * again within `idleMs`, the workers are checkpointed and terminated; the next `get` starts
 * new ones from the checkpoint, so returning to the slide resumes where it was.
 */
export interface Resumable<S> {
  checkpoint(): Promise<S>;
  dispose(): void;
}

export class Lease<S, T extends Resumable<S>> {
  readonly #make: (from: S | undefined) => T;
  readonly #idleMs: number;
  #value: T | undefined;
  #state: S | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closing: Promise<void> = Promise.resolve();
  /** how many times workers were started (1 + the resumptions) */
  starts = 0;

  constructor(make: (from: S | undefined) => T, idleMs = 1000) {
    this.#make = make;
    this.#idleMs = idleMs;
  }

  async get(): Promise<T> {
    clearTimeout(this.#timer);
    await this.#closing;
    if (!this.#value) {
      this.#value = this.#make(this.#state);
      this.starts++;
    }
    return this.#value;
  }

  get active(): boolean {
    return this.#value !== undefined;
  }

  idle(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#close(), this.#idleMs);
  }

  #close(): Promise<void> {
    const value = this.#value;
    if (!value) return this.#closing;
    this.#value = undefined;
    this.#closing = value
      .checkpoint()
      .then(
        (state) => void (this.#state = state),
        () => undefined, // a failed checkpoint resumes from the previous one
      )
      .then(() => value.dispose());
    return this.#closing;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#value?.dispose();
    this.#value = undefined;
  }
}
