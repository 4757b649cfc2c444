/**
 * What the benchmark installs in every page before the page's own scripts run. The function is
 * serialized into the page by Playwright, so it must not refer to anything outside itself.
 *
 * - marks `flowdeck:ready`, `flowdeck:visible` (two frames after ready) and `flowdeck:settled`
 *   when the page exposes `window.flowdeck` (the baseline marks its own `baseline:*`);
 * - records long tasks (over 50 ms, buffered from page start);
 * - records every arrival on a slide (reveal's `slidechanged`), with whether its cells were
 *   starting then: the slide holds a cell slot whose cell was not mounted and ready yet.
 */

export interface LongTaskRecord {
  start: number;
  duration: number;
}

export interface ArrivalRecord {
  /** performance.now() of the event */
  at: number;
  /** `h/v` indices */
  index: string;
  /** the slide's first heading, for humans */
  label: string;
  slots: number;
  /** slots whose cell was not ready at arrival */
  starting: number;
}

export interface BenchProbes {
  longTasks: LongTaskRecord[];
  arrivals: ArrivalRecord[];
  /** describes the current slide the same way as an arrival; exposed for the first slide */
  describeCurrent(): ArrivalRecord | undefined;
}

declare global {
  interface Window {
    __bench?: BenchProbes;
  }
}

export function installProbes(): void {
  const describe = (
    slide: Element | null,
    at: number,
    index: string,
  ): ArrivalRecord | undefined => {
    if (!slide) return undefined;
    const slots = Array.from(slide.querySelectorAll("[data-slot]"));
    const starting = slots.filter((slot) => {
      const cell = slot.matches("[data-cell]") ? slot : slot.querySelector("[data-cell]");
      return cell?.getAttribute("data-state") !== "ready";
    }).length;
    const heading = slide.querySelector("h1, h2, h3, h4");
    const label = (heading?.textContent ?? slide.textContent ?? "").trim().replace(/\s+/g, " ");
    return { at, index, label: label.slice(0, 60), slots: slots.length, starting };
  };
  const currentSlide = () =>
    document.querySelector(".reveal .slides > section.present > section.present") ??
    document.querySelector(".reveal .slides > section.present");

  const probes: BenchProbes = {
    longTasks: [],
    arrivals: [],
    describeCurrent: () => {
      const slide = currentSlide();
      const stack = document.querySelector(".reveal .slides > section.present");
      const h = stack ? Array.from(stack.parentElement?.children ?? []).indexOf(stack) : -1;
      const v = slide && slide !== stack ? Array.from(stack?.children ?? []).indexOf(slide) : 0;
      return describe(slide, performance.now(), `${h}/${v}`);
    },
  };
  window.__bench = probes;

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        probes.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // no long task timing: the traversal reports it as unmeasured
  }

  document.addEventListener(
    "slidechanged",
    (event) => {
      const at = performance.now();
      const detail = event as Event & { currentSlide?: Element; indexh?: number; indexv?: number };
      const record = describe(
        detail.currentSlide ?? null,
        at,
        `${detail.indexh ?? "?"}/${detail.indexv ?? 0}`,
      );
      if (record) probes.arrivals.push(record);
    },
    true,
  );

  let hooks: unknown;
  Object.defineProperty(window, "flowdeck", {
    configurable: true,
    enumerable: true,
    get: () => hooks,
    set(value: { ready: Promise<void>; settled(): Promise<void> }) {
      hooks = value;
      void value.ready
        .then(() => {
          performance.mark("flowdeck:ready");
          requestAnimationFrame(() =>
            requestAnimationFrame(() => performance.mark("flowdeck:visible")),
          );
          return value.settled();
        })
        .then(() => performance.mark("flowdeck:settled"));
    },
  });
}
