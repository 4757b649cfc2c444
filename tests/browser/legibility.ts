/**
 * What a slide shows the back row, measured in the page: the smallest text of each kind (in a
 * live output, in code, in the prose) in on-screen pixels, and what lies outside the slide.
 */
import type { Page } from "playwright-core";
import { PRESENT_SLIDE } from "./deck.ts";

/** The floors, in on-screen pixels at 1280×720 (issue 9). */
export const FLOORS = { output: 14, code: 18, body: 20 } as const;

export type TextKind = keyof typeof FLOORS;

export interface SmallText {
  kind: TextKind;
  px: number;
  text: string;
  /** the cell it is in (`notebook/cell`), else the slide's heading */
  where: string;
}

export interface SlideMeasure {
  /** the smallest on-screen font size of each kind of text on the slide */
  smallest: Partial<Record<TextKind, SmallText>>;
  /** text under its floor */
  tooSmall: SmallText[];
  /** elements drawn outside the slide's 1280×720 frame (by more than a pixel or two) */
  outside: string[];
}

/** How long a slide's measurements (a benchmark, a timed pipeline) may take to reach their end. */
const MEASUREMENT_MS = 120_000;

/**
 * Waits until no cell on screen is still measuring (`flowdeck.measuring()`), at most
 * `MEASUREMENT_MS`, then for the page to settle: an output that grows as its measurement goes
 * on (five timelines, not the first) is then at its full size, and the slide's fit scaling
 * (`zoom`, src/deck/fit-slide.ts) is what a person sees when it is done. Returns what still
 * measured at the deadline.
 */
export async function awaitMeasurements(page: Page): Promise<string[]> {
  const left = await page.evaluate(
    async ({ timeout }) => {
      const until = performance.now() + timeout;
      while (window.flowdeck.measuring().length && performance.now() < until)
        await new Promise((done) => setTimeout(done, 250));
      await window.flowdeck.settled();
      return window.flowdeck.measuring();
    },
    { timeout: MEASUREMENT_MS },
  );
  return left;
}

/**
 * Measures the present slide as a person sees it: every text's size is its computed font size
 * times the scale of its element on screen (the box it is drawn in over its layout size, or an
 * SVG element's screen matrix), which includes reveal's transform and the fit's CSS `zoom`.
 */
export function measureSlide(page: Page, floors = FLOORS): Promise<SlideMeasure> {
  return page.evaluate(
    async ({ selector, floors }) => {
      // The deck re-centres a slide whose outputs grew on the next frame (deck-page.ts): measure
      // the slide as laid out then, not in between.
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      const slide = document.querySelector<HTMLElement>(selector)!;
      const frame = document.querySelector<HTMLElement>(".reveal .slides")!.getBoundingClientRect();
      const ignored = ".fd-cell-bar, aside.notes, .fd-indicator, .katex-mathml, [hidden]";
      const clipped = (element: Element): boolean => {
        for (let e = element.parentElement; e && e !== slide; e = e.parentElement) {
          const style = getComputedStyle(e);
          if (style.overflowX !== "visible" || style.overflowY !== "visible") return true;
        }
        return false;
      };
      /** On-screen pixels per CSS pixel of the element's own coordinates. */
      const scaleOf = (element: Element): number => {
        if (element instanceof SVGGraphicsElement) {
          const m = element.getScreenCTM();
          if (m) return Math.hypot(m.a, m.b);
        }
        const html = element.closest<HTMLElement>("*:not(svg *)")!;
        const box = html.getBoundingClientRect();
        return html.offsetWidth > 0 ? box.width / html.offsetWidth : frame.width / 1280;
      };
      const kindOf = (element: Element): "output" | "code" | "body" =>
        element.closest(".fd-output")
          ? "output"
          : element.closest("pre, code, .fd-code, .cm-editor")
            ? "code"
            : "body";
      const heading = `slide “${slide.querySelector("h1, h2, h3")?.textContent?.trim() ?? ""}”`;
      const whereOf = (e: Element) =>
        e.closest<HTMLElement>("[data-cell]")?.dataset.cell ?? heading;
      type Found = { kind: string; px: number; text: string; where: string };
      const smallest: Record<string, Found> = {};
      const tooSmall: Found[] = [];
      const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? "";
        const element = node.parentElement;
        if (!text || !element || element.closest(ignored)) continue;
        if (!element.checkVisibility({ opacityProperty: false, visibilityProperty: true }))
          continue;
        if (element.closest("style, script")) continue;
        const rects = Array.from(
          (() => {
            const range = document.createRange();
            range.selectNodeContents(node);
            return range.getClientRects();
          })(),
        );
        if (!rects.some((r) => r.width > 0 && r.height > 0)) continue;
        const px = parseFloat(getComputedStyle(element).fontSize) * scaleOf(element);
        const kind = kindOf(element);
        const found = {
          kind,
          px: Math.round(px * 10) / 10,
          text: text.slice(0, 40),
          where: whereOf(element),
        };
        if (!smallest[kind] || px < smallest[kind].px) smallest[kind] = found;
        if (px < floors[kind] - 0.05) tooSmall.push(found);
      }
      const outside: string[] = [];
      const slack = 2;
      for (const element of Array.from(slide.querySelectorAll<Element>("*"))) {
        if (element.closest(ignored) || element.closest("style, script, defs")) continue;
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (!element.checkVisibility({ visibilityProperty: true })) continue;
        if (clipped(element)) continue;
        const over =
          box.left < frame.left - slack ||
          box.top < frame.top - slack ||
          box.right > frame.right + slack ||
          box.bottom > frame.bottom + slack;
        if (!over) continue;
        // Report the outermost element only: its children are outside with it.
        const parent = element.parentElement;
        if (parent && parent !== slide && outside.some((o) => o === describe(parent))) continue;
        outside.push(describe(element));
      }
      function describe(e: Element): string {
        const name = e.tagName.toLowerCase() + (e.classList[0] ? `.${e.classList[0]}` : "");
        return `${name} in ${whereOf(e)}`;
      }
      return { smallest, tooSmall, outside: [...new Set(outside)] } as SlideMeasure;
    },
    { selector: PRESENT_SLIDE, floors },
  );
}
