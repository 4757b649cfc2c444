/**
 * Loading ahead while the presenter talks: once a slide has settled and stayed for a while, the
 * cells of the next slides get their notebooks, modules and TensorFlow.js loaded (not run), so
 * that arriving there does not stall on a megabyte of script. Leaving the slide stops it.
 */
import type { RevealApi } from "reveal.js";
import { slotKey, slotsIn } from "../view/cell-slots.ts";
import type { CellKey } from "../compiler/cell-key.ts";

export interface WarmAheadOptions {
  idleMs: number;
  whenIdle: () => Promise<void>;
  /** the slides after this one, nearest first */
  next: (slide: HTMLElement) => HTMLElement[];
  prepare: (keys: CellKey[], stillWanted: () => boolean) => Promise<void>;
}

export class WarmAhead {
  readonly #options: WarmAheadOptions;
  #visit = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #done = new Set<HTMLElement>();

  constructor(options: WarmAheadOptions) {
    this.#options = options;
  }

  /** The slide's cells are mounted: warm what follows once it has been idle for a while. */
  arrived(slide: HTMLElement): void {
    const visit = ++this.#visit;
    const wanted = () => visit === this.#visit;
    void this.#options.whenIdle().then(() => {
      if (!wanted()) return;
      this.#timer = setTimeout(() => void this.#warm(slide, wanted), this.#options.idleMs);
    });
  }

  left(): void {
    this.#visit++;
    clearTimeout(this.#timer);
  }

  async #warm(slide: HTMLElement, wanted: () => boolean): Promise<void> {
    for (const next of this.#options.next(slide)) {
      if (!wanted()) return;
      if (this.#done.has(next)) continue;
      const keys = slotsIn(next)
        .map(slotKey)
        .filter((key): key is CellKey => !!key);
      await this.#options.prepare(keys, wanted);
      if (wanted()) this.#done.add(next);
    }
  }
}

/** The `count` slides after `slide` in reveal's order (vertical ones included). */
export function nextSlides(reveal: RevealApi, slide: HTMLElement, count: number): HTMLElement[] {
  const all = reveal.getSlides() as HTMLElement[];
  const at = all.indexOf(slide);
  return at < 0 ? [] : all.slice(at + 1, at + 1 + count);
}
