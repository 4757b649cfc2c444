/**
 * Small shared state for the digit demo's cells, outside the reactive graph on purpose: the
 * drawing and the current model change many times a second (or mid-drawing), and the cells that
 * show them update in place instead of re-running (which would clear the canvas).
 */
import type * as TF from "@tensorflow/tfjs";
import { disposeDigitModel } from "./model.ts";

export class Store<T> {
  #value: T;
  #listeners = new Set<(value: T) => void>();

  constructor(value: T) {
    this.#value = value;
  }

  get value(): T {
    return this.#value;
  }

  set(value: T): void {
    this.#value = value;
    for (const listener of [...this.#listeners]) listener(value);
  }

  /** Calls `listener` on every change; returns the function that stops it. */
  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The model the demo uses; replacing it disposes the previous one (after telling the listeners). */
export class ModelSlot extends Store<TF.LayersModel> {
  #disposed = false;

  replace(model: TF.LayersModel): void {
    const previous = this.value;
    if (this.#disposed) {
      disposeDigitModel(model);
      return;
    }
    this.set(model);
    if (previous !== model) disposeDigitModel(previous);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    disposeDigitModel(this.value);
  }

  get disposed(): boolean {
    return this.#disposed;
  }
}

/**
 * Runs `task` for the latest request only: while a run is in flight, further requests collapse
 * into one more run after it (a prediction per frame at most, never a queue).
 */
export function latestOnly(task: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => {
    if (running) again = true;
    else void run().catch((error: unknown) => console.error(error));
  };
}
