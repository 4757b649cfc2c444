/**
 * Workers that a generator cell uses between its `yield`s and that end while its slide is not
 * shown. The engine calls `suspend()` a moment after the slide is left and `resume()` when it
 * returns. The cell brackets each use with `get()` … `idle()`: a suspension ends the workers at
 * once when they are idle, or at the end of the current use (a step is never cut in half), after
 * taking their checkpoint; the next `get()` starts new ones from it, so returning to the slide
 * resumes where it was.
 */
export interface Resumable<S> {
  checkpoint(): Promise<S>;
  dispose(): void;
}

export class Lease<S, T extends Resumable<S>> {
  readonly #make: (from: S | undefined) => T;
  #value: T | undefined;
  #state: S | undefined;
  #inUse = false;
  #suspended = false;
  #closing: Promise<void> = Promise.resolve();
  /** how many times workers were started (1 + the resumptions) */
  starts = 0;

  constructor(make: (from: S | undefined) => T) {
    this.#make = make;
  }

  async get(): Promise<T> {
    this.#inUse = true;
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

  /** The current use is over (call it before each `yield`). */
  idle(): void {
    this.#inUse = false;
    if (this.#suspended) void this.#close();
  }

  suspend(): void {
    this.#suspended = true;
    if (!this.#inUse) void this.#close();
  }

  resume(): void {
    this.#suspended = false;
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
    this.#value?.dispose();
    this.#value = undefined;
  }
}
