/**
 * reveal lays out its print view (`?print-pdf`) once, before the live cells have drawn: it
 * centres each slide on its page by the height it had then. Once the cells have settled, each
 * printed slide is fitted to its page again and re-centred, as reveal would have done.
 */
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

export function relayoutPrintPages(root: ParentNode, size: PrintSize): PrintedSlide[] {
  const printed: PrintedSlide[] = [];
  for (const page of Array.from(root.querySelectorAll<HTMLElement>(".pdf-page"))) {
    const slide = page.querySelector<HTMLElement>(":scope > section");
    if (!slide) continue;
    const zoom = fitSlide(slide, size.slideHeight);
    if (size.center || slide.classList.contains("center")) {
      slide.style.top = `${Math.max((page.clientHeight - slide.scrollHeight) / 2, 0)}px`;
    }
    printed.push({ slide, zoom });
  }
  return printed;
}
