/**
 * reveal lays out its print view (`?print-pdf`) once, before the live cells have drawn: it
 * centres each slide on its page by the height it had then. Once the cells have settled, each
 * printed slide is fitted to its page again and re-centred, as reveal would have done, and again
 * whenever a cell that keeps computing (a measurement adding rows) changes its height.
 */
import { slotsIn } from "../view/cell-slots.ts";
import { fitSlide } from "./fit-slide.ts";

export interface PrintSize {
  /** the slide's configured height (reveal's `height`) */
  slideHeight: number;
  /** centre slides vertically (reveal's `center`) */
  center: boolean;
}

export interface PrintedSlide {
  slide: HTMLElement;
  zoom: number;
}

function printPages(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(".pdf-page"));
}

function relayoutPage(page: HTMLElement, size: PrintSize): PrintedSlide | undefined {
  const slide = page.querySelector<HTMLElement>(":scope > section");
  if (!slide) return undefined;
  const zoom = fitSlide(slide, size.slideHeight);
  if (size.center || slide.classList.contains("center")) {
    slide.style.top = `${Math.max((page.clientHeight - slide.scrollHeight) / 2, 0)}px`;
  }
  return { slide, zoom };
}

export function relayoutPrintPages(root: ParentNode, size: PrintSize): PrintedSlide[] {
  return printPages(root).flatMap((page) => relayoutPage(page, size) ?? []);
}

/**
 * Keeps each printed page laid out as its cells' outputs change size, once per frame at most.
 * Returns a function that stops following.
 */
export function followPrintLayout(root: ParentNode, size: PrintSize): () => void {
  const changed = new Set<HTMLElement>();
  let frame = 0;
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const page = entry.target.closest<HTMLElement>(".pdf-page");
      if (page) changed.add(page);
    }
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      for (const page of changed) relayoutPage(page, size);
      changed.clear();
    });
  });
  for (const page of printPages(root)) for (const slot of slotsIn(page)) observer.observe(slot);
  return () => {
    observer.disconnect();
    cancelAnimationFrame(frame);
  };
}
