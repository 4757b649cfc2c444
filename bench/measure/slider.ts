/**
 * Slider latency on a notebook page: the range input of `tensorflow/x0` gets a new value and an
 * `input` event from inside the page (timestamped with performance.now()); a MutationObserver
 * timestamps, in its callback, the moment the inline cell that shows `x0.toFixed(2)` shows the
 * new value (the target), and the moment every dependent that changed has updated and is ready
 * again (tf.grad, the chart: information).
 */
import type { Browser, Page } from "playwright-core";
import { freshPage } from "../lib/browser.ts";
import { percentile } from "../lib/stats.ts";
import { settle, waitReady } from "./hooks.ts";

export const SLIDER_PAGE = "notebook.html?n=tensorflow";
const SLIDER_CELL = "tensorflow/x0";
const WARM_UP = 5;
const SAMPLE_TIMEOUT_MS = 3000;

export interface SliderResult {
  /** the cell whose text shows x0 */
  display: string;
  /** every cell that changed when x0 changed */
  dependents: string[];
  samples: number[];
  p50: number;
  p95: number;
  max: number;
  /** input → every dependent updated and ready */
  allDependents: { samples: number[]; p50: number; p95: number };
  /** samples whose display never updated within the timeout */
  missed: number;
  backend: string;
  renderer: string;
}

/** Values on the slider's grid (−2…2, step 0.05), as exact decimals, never twice in a row. */
function sliderValue(i: number): number {
  const k = (i * 37 + 11) % 81;
  return (k * 5 - 200) / 100;
}

interface Sample {
  display: number | null;
  all: number | null;
}

async function findDependents(page: Page): Promise<{ display: string; dependents: string[] }> {
  return page.evaluate(
    async ({ cell, value }) => {
      const texts = () =>
        new Map(
          Array.from(document.querySelectorAll<HTMLElement>("[data-cell]"), (el) => [
            el.dataset.cell ?? "",
            el.textContent ?? "",
          ]),
        );
      const before = texts();
      const input = document.querySelector<HTMLInputElement>(
        `[data-cell="${cell}"] input[type=range]`,
      );
      if (!input) throw new Error(`no range input in ${cell}`);
      input.value = String(value);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await window.flowdeck.settled();
      const changed = [...texts()].filter(([id, text]) => id !== cell && before.get(id) !== text);
      // An inline string may be shown quoted, the way the inspector shows strings.
      const shown = (text: string) => text.trim().replace(/^"(.*)"$/, "$1");
      const display = changed.find(([, text]) => shown(text) === value.toFixed(2));
      if (!display) {
        throw new Error(
          `no cell shows ${value.toFixed(2)}; changed: ${changed.map(([id]) => id).join(", ") || "none"}`,
        );
      }
      return { display: display[0], dependents: changed.map(([id]) => id) };
    },
    { cell: SLIDER_CELL, value: -1.25 },
  );
}

function sample(page: Page, value: number, display: string, dependents: string[]): Promise<Sample> {
  return page.evaluate(
    ({ cell, value, display, dependents, timeout }) =>
      new Promise<Sample>((resolve) => {
        const input = document.querySelector<HTMLInputElement>(
          `[data-cell="${cell}"] input[type=range]`,
        );
        const target = document.querySelector(`[data-cell="${display}"]`);
        const watched = dependents.map((id) => document.querySelector(`[data-cell="${id}"]`));
        if (!input || !target || watched.some((el) => !el)) {
          resolve({ display: null, all: null });
          return;
        }
        const expected = value.toFixed(2);
        const seen = new Map<Element, number>();
        let start = 0;
        let displayAt: number | null = null;
        const finish = (all: number | null) => {
          observer.disconnect();
          clearTimeout(timer);
          resolve({ display: displayAt === null ? null : displayAt - start, all });
        };
        const observer = new MutationObserver((records) => {
          const now = performance.now();
          for (const record of records) {
            for (const el of watched) if (el?.contains(record.target)) seen.set(el, now);
          }
          const text = (target.textContent ?? "").trim().replace(/^"(.*)"$/, "$1");
          if (displayAt === null && text === expected) displayAt = now;
          const allReady = watched.every(
            (el) => el && seen.has(el) && el.getAttribute("data-state") === "ready",
          );
          if (displayAt !== null && allReady) finish(Math.max(...seen.values()) - start);
        });
        const timer = setTimeout(() => finish(null), timeout);
        observer.observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
        start = performance.now();
        input.value = String(value);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }),
    { cell: SLIDER_CELL, value, display, dependents, timeout: SAMPLE_TIMEOUT_MS },
  );
}

export async function measureSlider(
  browser: Browser,
  baseUrl: string,
  samples: number,
  onProgress: (done: number) => void,
): Promise<SliderResult> {
  const session = await freshPage(browser);
  try {
    const { page } = session;
    await page.goto(new URL(SLIDER_PAGE, baseUrl).href);
    await waitReady(page);
    // Cells pause off-screen: bring the slider and the prose below it into view.
    const found = await page.evaluate((cell) => {
      const el = document.querySelector(`[data-cell="${cell}"]`);
      el?.scrollIntoView({ block: "start" });
      return !!el;
    }, SLIDER_CELL);
    if (!found) throw new Error(`no cell ${SLIDER_CELL} on ${SLIDER_PAGE}`);
    await settle(page);
    const { display, dependents } = await findDependents(page);
    const inView = await page.evaluate((id) => {
      const el = document.querySelector(`[data-cell="${id}"]`);
      const rect = el?.getBoundingClientRect();
      if (rect && (rect.top < 0 || rect.bottom > innerHeight))
        el?.scrollIntoView({ block: "center" });
      return !!rect;
    }, display);
    if (!inView) throw new Error(`the display cell ${display} vanished`);
    await settle(page);

    const displayTimes: number[] = [];
    const allTimes: number[] = [];
    let missed = 0;
    for (let i = 0; i < WARM_UP + samples; i++) {
      const result = await sample(page, sliderValue(i), display, dependents);
      // Let frames pass at an irregular pace, so inputs land at every phase of the frame.
      await page.waitForTimeout(20 + ((i * 13) % 40));
      if (i < WARM_UP) continue;
      if (result.display === null) missed++;
      else displayTimes.push(result.display);
      if (result.all !== null) allTimes.push(result.all);
      if ((i - WARM_UP + 1) % 10 === 0) onProgress(i - WARM_UP + 1);
    }
    if (displayTimes.length < samples / 2) {
      throw new Error(
        `the display cell updated in only ${displayTimes.length} of ${samples} samples`,
      );
    }
    const info = await page.evaluate(() => ({
      backend: window.flowdeck.backend(),
      renderer: window.flowdeck.renderer(),
    }));
    return {
      display,
      dependents,
      samples: displayTimes,
      p50: percentile(displayTimes, 0.5),
      p95: percentile(displayTimes, 0.95),
      max: Math.max(...displayTimes),
      allDependents: {
        samples: allTimes,
        p50: percentile(allTimes, 0.5),
        p95: percentile(allTimes, 0.95),
      },
      missed,
      ...info,
    };
  } finally {
    await session.close();
  }
}
