/**
 * Three keyboard traversals of the deck (reveal's `next`, key "n": every slide, vertical ones
 * and fragments included), awaiting `flowdeck.settled()` after each step. Records tf.memory()
 * after each traversal and every long task (over 50 ms), each attributed to the slide it
 * happened on and classified: page load, cell start-up (within 1 s of arriving on a slide whose
 * cells were starting), or other.
 */
import type { Browser, Page } from "playwright-core";
import { freshPage } from "../lib/browser.ts";
import type { ArrivalRecord } from "../lib/probes.ts";
import { settle, waitReady } from "./hooks.ts";

const STARTUP_WINDOW_MS = 1000;
const MAX_STEPS = 2000;
const TRAVERSALS = 3;

export type LongTaskKind = "load" | "startup" | "other";

export interface LongTask {
  start: number;
  duration: number;
  /** 0: page load (before the first traversal), then 1..3 */
  traversal: number;
  slide: string;
  kind: LongTaskKind;
}

export interface Memory {
  numTensors: number;
  numBytes: number;
}

export interface TraversalResult {
  /** distinct slides per traversal */
  slides: number;
  /** key presses per traversal (fragments included) */
  steps: number[];
  memory: Memory[];
  /** slides where settled() did not resolve in time */
  settleTimeouts: string[];
  cellErrors: string[];
  longTasks: LongTask[];
  /** every slide arrived on, in deck order ("index label", as in `LongTask.slide`) */
  slideNames: string[];
  /** per slide, per pass (index 0 = pass 1): long tasks from arriving until leaving */
  perSlide: Array<{
    slide: string;
    passes: Array<{ count: number; maxMs: number }>;
    /**
     * per pass, the window: long tasks from the key press that brought the slide to 2 s
     * after it settled (with a dwell under 2 s the next key comes sooner, so a task can count for
     * two slides)
     */
    fromKey: Array<{ count: number; maxMs: number }>;
  }>;
  /** every key press of the traversals: when it was pressed and when the deck settled after it */
  keySteps: KeyStep[];
  durationsMs: number[];
  /** ms stayed on each step after it settled (0: the next key at once) */
  dwellMs: number;
  backend: string;
  renderer: string;
  pageErrors: string[];
}

/** how long after a slide settles its window of long tasks stays open (issue 14) */
export const AFTER_SETTLE_MS = 2000;

export interface KeyStep {
  /** traversal, 1-based */
  pass: number;
  /** the slide the key led to ("index label") */
  slide: string;
  keyAt: number;
  settledAt: number;
}

function stateKey(page: Page): Promise<string> {
  return page.evaluate(() => {
    const current = window.__bench?.describeCurrent();
    const fragments = document.querySelectorAll(
      ".reveal .slides section.present .fragment.visible",
    ).length;
    return `${current?.index ?? "?"}#${fragments}`;
  });
}

async function press(page: Page, key: string): Promise<void> {
  // Reveal ignores keys typed into a form field: a slider may hold the focus.
  await page.evaluate(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body) active.blur();
  });
  await page.keyboard.press(key);
}

const now = (page: Page) => page.evaluate(() => performance.now());
const currentSlide = (page: Page) =>
  page.evaluate(() => {
    const c = window.__bench?.describeCurrent();
    return c ? `${c.index} ${c.label}` : "?";
  });

async function traverse(
  page: Page,
  settleTimeouts: string[],
  keySteps: KeyStep[],
  pass: number,
  dwellMs: number,
): Promise<{ steps: number; slides: Set<string> }> {
  const slides = new Set<string>();
  let before = await stateKey(page);
  slides.add(before.split("#")[0]!);
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const keyAt = await now(page);
    await press(page, "n");
    if (!(await settle(page))) settleTimeouts.push(before);
    const settledAt = await now(page);
    const after = await stateKey(page);
    if (after === before) return { steps, slides };
    keySteps.push({ pass, slide: await currentSlide(page), keyAt, settledAt });
    slides.add(after.split("#")[0]!);
    before = after;
    // Stay until the window (2 s after settled) has closed, so windows do not overlap.
    const left = settledAt + dwellMs - (await now(page));
    if (left > 0) await page.waitForTimeout(left);
  }
  throw new Error(`the deck did not end after ${MAX_STEPS} steps`);
}

function classify(
  tasks: { start: number; duration: number }[],
  arrivals: ArrivalRecord[],
  traversalStarts: number[],
): LongTask[] {
  return tasks.map(({ start, duration }) => {
    const traversal = traversalStarts.filter((t) => t <= start).length;
    const arrival = arrivals.filter((a) => a.at <= start).at(-1);
    const slide = arrival ? `${arrival.index} ${arrival.label}` : "(before the first slide)";
    let kind: LongTaskKind = "other";
    if (traversal === 0) kind = "load";
    else if (arrival && arrival.starting > 0 && start - arrival.at <= STARTUP_WINDOW_MS) {
      kind = "startup";
    }
    return { start, duration, traversal, slide, kind };
  });
}

export async function measureTraversal(
  browser: Browser,
  deckUrl: string,
  onProgress: (message: string) => void,
  /** how long to stay on each step after it settled (AFTER_SETTLE_MS: the windows do not overlap) */
  dwellMs = AFTER_SETTLE_MS,
): Promise<TraversalResult> {
  const session = await freshPage(browser);
  try {
    const { page } = session;
    await page.goto(deckUrl);
    await waitReady(page);
    const settleTimeouts: string[] = [];
    if (!(await settle(page))) settleTimeouts.push("first slide");
    // The first slide's cells started with the page.
    await page.evaluate(() => {
      const first = window.__bench?.describeCurrent();
      if (first) window.__bench?.arrivals.unshift({ ...first, at: 0, starting: first.slots });
    });

    const memory: Memory[] = [];
    const steps: number[] = [];
    const traversalStarts: number[] = [];
    const durationsMs: number[] = [];
    const keySteps: KeyStep[] = [];
    let slides = 0;
    for (let round = 1; round <= TRAVERSALS; round++) {
      if (round > 1) {
        await press(page, "Home");
        await settle(page);
      }
      const started = Date.now();
      traversalStarts.push(await page.evaluate(() => performance.now()));
      const result = await traverse(page, settleTimeouts, keySteps, round, dwellMs);
      durationsMs.push(Date.now() - started);
      steps.push(result.steps);
      slides = Math.max(slides, result.slides.size);
      memory.push(await page.evaluate(() => window.flowdeck.memory()));
      const m = memory.at(-1)!;
      onProgress(
        `traversal ${round}/${TRAVERSALS}: ${result.slides.size} slides, ${result.steps} steps, ` +
          `${m.numTensors} tensors, ${m.numBytes} bytes`,
      );
    }

    const recorded = await page.evaluate(() => ({
      tasks: window.__bench?.longTasks ?? [],
      arrivals: window.__bench?.arrivals ?? [],
      cellErrors: window.flowdeck
        .cells()
        .filter((c) => c.state === "error")
        .map((c) => `${c.notebook}/${c.id}: ${c.error ?? ""}`),
      backend: window.flowdeck.backend(),
      renderer: window.flowdeck.renderer(),
    }));
    const longTasks = classify(recorded.tasks, recorded.arrivals, traversalStarts);
    const slideNames = [...new Set(recorded.arrivals.map((a) => `${a.index} ${a.label}`))];
    const perSlide = slideNames.map((slide) => ({
      slide,
      passes: Array.from({ length: TRAVERSALS }, (_, i) => {
        const here = longTasks.filter((t) => t.slide === slide && t.traversal === i + 1);
        return { count: here.length, maxMs: Math.max(0, ...here.map((t) => t.duration)) };
      }),
      fromKey: Array.from({ length: TRAVERSALS }, (_, i) => {
        const windows = keySteps.filter((k) => k.slide === slide && k.pass === i + 1);
        const here = recorded.tasks.filter((t) =>
          windows.some((w) => t.start >= w.keyAt && t.start <= w.settledAt + AFTER_SETTLE_MS),
        );
        return { count: here.length, maxMs: Math.max(0, ...here.map((t) => t.duration)) };
      }),
    }));
    return {
      slides,
      steps,
      memory,
      settleTimeouts,
      cellErrors: recorded.cellErrors,
      longTasks,
      slideNames,
      perSlide,
      keySteps,
      durationsMs,
      dwellMs,
      backend: recorded.backend,
      renderer: recorded.renderer,
      pageErrors: [...session.errors],
    };
  } finally {
    await session.close();
  }
}
