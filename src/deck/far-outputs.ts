/**
 * reveal.js walks the whole deck on every key press (querySelectorAll for its slides, their
 * fragments and more, then a forced style and layout), and a deck keeps every output it has
 * shown (after one pass through the talk, each key press took 15–85 ms). The outputs of slides
 * reveal does not show (those beyond its view distance, which it hides with display: none) are
 * taken out of the document while they are far, and put back as the presenter comes near.
 * Their cells go on running and drawing into them meanwhile: only the walking is saved.
 */
import type { RevealApi } from "reveal.js";
import type { CellView } from "../view/cell-view.ts";

export interface FarOutputsOptions {
  /** the deck's slides (reveal's `.slides`) */
  root: HTMLElement;
  /** every live view of the page */
  views: () => CellView[];
  /** every slide is on view (reveal's scroll view, its print view) */
  allShown: () => boolean;
}

/** Whether reveal shows the slide holding `element`: neither it nor its stack has display none. */
export function shownByReveal(element: Element, root: Element): boolean {
  for (let at: Element | null = element; at && at !== root; at = at.parentElement) {
    if (at instanceof HTMLElement && at.tagName === "SECTION" && at.style.display === "none") {
      return false;
    }
  }
  return true;
}

export class FarOutputs {
  readonly #options: FarOutputsOptions;

  constructor(options: FarOutputsOptions) {
    this.#options = options;
  }

  /** Parks the outputs of the slides reveal hides, and puts back those it shows. */
  update(): void {
    const { root, allShown } = this.#options;
    const all = allShown();
    for (const view of this.#inDeck()) {
      if (all || shownByReveal(view.place!, root)) view.unpark();
      else view.park();
    }
  }

  /** Puts back at once the outputs in `slide` (one about to be shown, after a jump). */
  bringBack(slide: Element): void {
    for (const view of this.#inDeck()) if (view.parked && view.isWithin(slide)) view.unpark();
  }

  #inDeck(): CellView[] {
    const { root, views } = this.#options;
    return views().filter((view) => view.place && root.contains(view.place));
  }
}

/** Keeps the deck's far outputs parked as reveal moves (the slides view). */
export function parkFarOutputs(reveal: RevealApi, views: () => CellView[]): FarOutputs {
  const far = new FarOutputs({
    root: reveal.getSlidesElement() ?? document.body,
    views,
    // reveal turns to its scroll view in a narrow window (its API has this, its types do not)
    allShown: () => (reveal as { isScrollView?: () => boolean }).isScrollView?.() === true,
  });
  let pending = false;
  // A task of its own after the key press's: putting back a slide coming near lays it out.
  const update = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      far.update();
    }, 0);
  };
  // After a jump the slide about to be shown may be parked, and reveal must lay it out whole
  // (its fragments, its height). The event's vertical index is not yet the stack's, so all of it.
  reveal.on("beforeslidechange", (event: Event) => {
    const { indexh } = event as Event & { indexh: number };
    const target = reveal.getHorizontalSlides()[indexh];
    if (target) far.bringBack(target);
  });
  for (const type of ["slidechanged", "overviewshown", "overviewhidden"]) reveal.on(type, update);
  addEventListener("resize", update);
  return far;
}
