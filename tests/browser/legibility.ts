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
  /** texts measured on the slide's canvases */
  canvasTexts: number;
}

/**
 * Text drawn on a 2D canvas has no DOM node to measure: this init script (`addInitScript`)
 * records, for every canvas of the page, the text of each `fillText` / `strokeText` call since
 * the canvas was last cleared whole (a full `clearRect`, or its size set) and its size in the
 * canvas's own pixels: the font's size times the context's vertical scale. `measureSlide` turns
 * that into on-screen pixels with the canvas's on-screen height over its pixel height. Text
 * drawn on a canvas outside the page (an OffscreenCanvas, a canvas copied with `drawImage`) is
 * not seen.
 */
export function recordCanvasText(): void {
  type Drawn = Map<string, number>;
  const drawn = new WeakMap<HTMLCanvasElement, Drawn>();
  (window as unknown as { flowdeckCanvasText: typeof drawn }).flowdeckCanvasText = drawn;
  const proto = CanvasRenderingContext2D.prototype;
  const record = (context: CanvasRenderingContext2D, text: unknown) => {
    const size = /(\d+(?:\.\d+)?)px/.exec(context.font);
    const label = String(text).trim();
    if (!size || !label) return;
    const m = context.getTransform();
    const px = parseFloat(size[1]!) * Math.hypot(m.c, m.d);
    const texts = drawn.get(context.canvas) ?? new Map<string, number>();
    drawn.set(context.canvas, texts);
    texts.set(label, Math.min(px, texts.get(label) ?? Infinity));
  };
  for (const name of ["fillText", "strokeText"] as const) {
    const original = proto[name];
    proto[name] = function (this: CanvasRenderingContext2D, ...args: Parameters<typeof original>) {
      record(this, args[0]);
      return original.apply(this, args);
    };
  }
  const clearRect = proto.clearRect;
  proto.clearRect = function (this: CanvasRenderingContext2D, x, y, w, h) {
    const m = this.getTransform();
    const [x0, y0] = [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
    const [x1, y1] = [m.a * (x + w) + m.c * (y + h) + m.e, m.b * (x + w) + m.d * (y + h) + m.f];
    const { width, height } = this.canvas;
    if (Math.min(x0, x1) <= 0 && Math.min(y0, y1) <= 0 && Math.max(x0, x1) >= width - 1)
      if (Math.max(y0, y1) >= height - 1) drawn.delete(this.canvas);
    return clearRect.call(this, x, y, w, h);
  };
  for (const side of ["width", "height"] as const) {
    const property = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, side)!;
    Object.defineProperty(HTMLCanvasElement.prototype, side, {
      ...property,
      set(this: HTMLCanvasElement, value: number) {
        drawn.delete(this);
        property.set!.call(this, value);
      },
    });
  }
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
 * SVG element's screen matrix), which includes reveal's transform and the fit's CSS `zoom`;
 * a canvas's text, where `recordCanvasText` ran, is its drawn size times the canvas's scale.
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
      // A block of code is code, in an output too (the playground's listing); a value in an
      // output's inline <code> is output.
      const kindOf = (element: Element): "output" | "code" | "body" =>
        element.closest("pre, .fd-code, .cm-editor")
          ? "code"
          : element.closest(".fd-output")
            ? "output"
            : element.closest("code")
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
      // Canvas text (recordCanvasText): its size in canvas pixels, scaled as the canvas is drawn.
      const canvasText = (
        window as unknown as { flowdeckCanvasText?: WeakMap<Element, Map<string, number>> }
      ).flowdeckCanvasText;
      let canvasTexts = 0;
      for (const canvas of Array.from(slide.querySelectorAll("canvas"))) {
        const texts = canvasText?.get(canvas);
        if (!texts || canvas.closest(ignored) || canvas.height === 0) continue;
        if (!canvas.checkVisibility({ opacityProperty: false, visibilityProperty: true })) continue;
        const box = canvas.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const kind = kindOf(canvas);
        for (const [text, size] of texts) {
          canvasTexts++;
          const px = (size * box.height) / canvas.height;
          const found = {
            kind,
            px: Math.round(px * 10) / 10,
            text: `canvas: ${text.slice(0, 32)}`,
            where: whereOf(canvas),
          };
          if (!smallest[kind] || px < smallest[kind].px) smallest[kind] = found;
          if (px < floors[kind] - 0.05) tooSmall.push(found);
        }
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
      return { smallest, tooSmall, outside: [...new Set(outside)], canvasTexts } as SlideMeasure;
    },
    { selector: PRESENT_SLIDE, floors },
  );
}
