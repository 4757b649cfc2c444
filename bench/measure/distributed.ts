/**
 * Data-parallel training on Web Workers (notebook.html?n=distributed, the `demo` cell): for each
 * worker count, a synchronous parameter-server run is started from the controls, warmed up (the
 * workers load TensorFlow.js and MNIST, then 20 steps), and its examples per second measured over
 * a window of wall-clock time from the counters the demo publishes (`data-examples`). Long tasks
 * (> 50 ms) on the main thread are recorded during the windows.
 */
import type { Browser, Page } from "playwright-core";
import { freshPage } from "../lib/browser.ts";
import { DASH, status, type Row } from "../lib/report.ts";
import { waitReady } from "./hooks.ts";

export const DISTRIBUTED_TARGET = { speedupAt2: 1.6, longTaskMs: 50 } as const;

export interface DistributedResult {
  /** examples per second, keyed by worker count */
  examplesPerSecond: Record<string, number>;
  /** steps per second, keyed by worker count */
  stepsPerSecond: Record<string, number>;
  /** examples/s with 2 workers over examples/s with 1 */
  speedupAt2: number | null;
  /** main-thread tasks over 50 ms during the measuring windows, ms each */
  longTasks: number[];
  backend: string;
  windowMs: number;
}

interface Counters {
  step: number;
  examples: number;
  running: boolean;
  run: number;
  workers: number;
  status: string;
}

const counters = (page: Page): Promise<Counters> =>
  page.locator(".fd-distributed [data-distributed-status]").evaluate((el) => {
    const d = (el as HTMLElement).dataset;
    return {
      step: Number(d.step),
      examples: Number(d.examples),
      running: d.running === "true",
      run: Number(d.run),
      workers: Number(d.workers),
      status: el.textContent ?? "",
    };
  });

async function waitFor(page: Page, done: (c: Counters) => boolean, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await counters(page);
    if (done(c)) return c;
    if (Date.now() > until) throw new Error(`distributed: timed out (${c.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function measureDistributed(
  browser: Browser,
  baseUrl: string,
  workerCounts: readonly number[] = [1, 2, 4],
  windowMs = 10_000,
  onProgress: (message: string) => void = () => {},
): Promise<DistributedResult> {
  const session = await freshPage(browser);
  try {
    const { page } = session;
    await page.goto(new URL("notebook.html?n=distributed", baseUrl).href);
    await waitReady(page);
    await page.locator('[data-slot="distributed/demo"]').scrollIntoViewIfNeeded();
    await page.locator(".fd-distributed").waitFor({ timeout: 60_000 });
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __measuring: boolean };
      w.__longTasks = [];
      w.__measuring = false;
      new PerformanceObserver((list) => {
        if (!w.__measuring) return;
        for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
      }).observe({ type: "longtask", buffered: false });
    });
    const examplesPerSecond: Record<string, number> = {};
    const stepsPerSecond: Record<string, number> = {};
    let backend = "";
    for (const n of workerCounts) {
      const before = (await counters(page)).run;
      const select = page.locator(".fd-distributed select[name=workers]");
      // the same count again would be no change: make a new run whatever was selected
      if ((await select.inputValue()) === String(n - 1))
        await select.selectOption({ label: String(n === 1 ? 2 : 1) });
      await select.selectOption({ label: String(n) });
      await waitFor(
        page,
        (c) => c.run > before && c.running && c.workers === n && c.step >= 20,
        120_000,
      );
      const a = await counters(page);
      const t0 = Date.now();
      await page.evaluate(
        () => ((window as unknown as { __measuring: boolean }).__measuring = true),
      );
      await new Promise((r) => setTimeout(r, windowMs));
      const b = await counters(page);
      const seconds = (Date.now() - t0) / 1000;
      await page.evaluate(
        () => ((window as unknown as { __measuring: boolean }).__measuring = false),
      );
      examplesPerSecond[n] = (b.examples - a.examples) / seconds;
      stepsPerSecond[n] = (b.step - a.step) / seconds;
      backend = /backend: ([\w, ]+)/.exec(b.status)?.[1] ?? backend;
      onProgress(
        `distributed: ${n} worker${n > 1 ? "s" : ""}: ${examplesPerSecond[n]!.toFixed(0)} examples/s, ${stepsPerSecond[n]!.toFixed(1)} steps/s`,
      );
    }
    const longTasks = await page.evaluate(
      () => (window as unknown as { __longTasks: number[] }).__longTasks,
    );
    const one = examplesPerSecond[1];
    const two = examplesPerSecond[2];
    return {
      examplesPerSecond,
      stepsPerSecond,
      speedupAt2: one && two ? two / one : null,
      longTasks,
      backend,
      windowMs,
    };
  } finally {
    await session.close();
  }
}

export function distributedRows(result: DistributedResult | undefined): Row[] {
  const eps = result?.examplesPerSecond ?? {};
  const rows: Row[] = Object.keys(eps).map((n) => ({
    metric: `distributed: examples/s, ${n} worker${n === "1" ? "" : "s"} (sync, PS, ${result?.backend || "?"})`,
    flowdeck: eps[n]!.toFixed(0),
    baseline: DASH,
    ratio: DASH,
    target: DASH,
    status: "info" as const,
  }));
  rows.push({
    metric: "distributed: speed-up, 2 workers / 1",
    flowdeck: result?.speedupAt2 ? `${result.speedupAt2.toFixed(2)}×` : DASH,
    baseline: DASH,
    ratio: DASH,
    target: `≥ ${DISTRIBUTED_TARGET.speedupAt2}×`,
    status: status(
      result?.speedupAt2 ? result.speedupAt2 >= DISTRIBUTED_TARGET.speedupAt2 : undefined,
    ),
  });
  const long = result?.longTasks ?? [];
  rows.push({
    metric: "distributed: main-thread tasks > 50 ms while training",
    flowdeck: result
      ? long.length
        ? `${long.length} (max ${Math.max(...long).toFixed(0)} ms)`
        : "0"
      : DASH,
    baseline: DASH,
    ratio: DASH,
    target: "0",
    status: status(result ? long.length === 0 : undefined),
  });
  return rows;
}
