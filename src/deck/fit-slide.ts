/**
 * Outputs sized for a notebook column can be taller than a slide. Rather than clip them or let
 * them run off the slide's edge (and, in print, be pushed onto a page of their own and lost),
 * the slide's live outputs are scaled down together, with CSS `zoom` (which, unlike a transform,
 * takes part in layout), until the slide's content fits its height. An author opts a slide or a
 * cell out with `data-fit="none"` on the slide, or on any element of the cell's output.
 */
import { slotsIn } from "../view/cell-slots.ts";

/** Below this an output is unreadable anyway: better to overflow and fail the bounds test. */
export const MIN_ZOOM = 0.5;

const OPT_OUT = '[data-fit="none"]';

function optedOut(slot: HTMLElement): boolean {
  return slot.closest(OPT_OUT) !== null || slot.querySelector(OPT_OUT) !== null;
}

/** The zoom at which slots of total height `slotsHeight` take `overflow` pixels less. */
export function zoomToFit(slotsHeight: number, overflow: number, min = MIN_ZOOM): number {
  if (overflow <= 0 || slotsHeight <= 0) return 1;
  return Math.min(1, Math.max(min, (slotsHeight - overflow) / slotsHeight));
}

/**
 * Scales the slide's outputs so that its content is at most `height` CSS pixels tall (the
 * deck's configured slide height). Returns the zoom applied (1 when the slide fits as it is).
 */
export function fitSlide(slide: HTMLElement, height: number): number {
  const slots = slotsIn(slide).filter((slot) => !optedOut(slot));
  if (!slots.length) return 1;
  for (const slot of slots) slot.style.removeProperty("zoom");
  let zoom = 1;
  // Two passes: a zoomed output can reflow (text wraps differently), so measure again once.
  for (let pass = 0; pass < 2; pass++) {
    const overflow = slide.scrollHeight - height;
    if (overflow <= 1) break;
    const slotsHeight = slots.reduce((sum, slot) => sum + slot.getBoundingClientRect().height, 0);
    const scale = slideScale(slide);
    zoom = zoom * zoomToFit(slotsHeight / scale, overflow);
    zoom = Math.max(MIN_ZOOM, zoom);
    for (const slot of slots) slot.style.zoom = String(zoom);
  }
  slide.toggleAttribute("data-fitted", zoom < 1);
  return zoom;
}

/** On-screen pixels per CSS pixel of the slide (reveal scales the slides to the window). */
function slideScale(slide: HTMLElement): number {
  const shown = slide.getBoundingClientRect().width;
  return slide.offsetWidth > 0 && shown > 0 ? shown / slide.offsetWidth : 1;
}
