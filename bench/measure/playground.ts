/**
 * The playground at its defaults (circle, noise 0, 50 % training data, 4-2 tanh, learning rate
 * 0.03, batch 10), side by side in one browser: Flowdeck's notebook page (training in a worker,
 * the page drawing the heat map, thumbnails and loss chart every frame) and the reference page
 * (bench/playground-ref: the plain-TypeScript network trained one epoch per animation frame on
 * the main thread, the same heat map redrawn each frame). For each: epochs per second over a
 * window of training, wall time from "play" until test loss < 0.05, the main thread's idle
 * fraction (Chrome's TaskDuration metric) and long tasks (> 50 ms) during the window.
 */
import type { Browser, Page } from "playwright-core";
import { freshPage } from "../lib/browser.ts";
import { DASH, ms, ratio, status, type Row } from "../lib/report.ts";
import { settle, waitReady } from "./hooks.ts";

const WINDOW_MS = 6000;
const WARM_UP_MS = 1000;
const TARGET_LOSS = 0.05;
export const PLAYGROUND_TARGETS = { ratio: 1.5, idle: 0.5, longTaskMs: 50 } as const;

export interface PlaygroundRun {
  epochsPerSecond: number;
  /** from "play" until test loss < 0.05; null if not reached in the window */
  timeToLossMs: number | null;
  epochs: number;
  idleFraction: number;
  longTasks: number[];
  backend: string;
}

export interface PlaygroundResult {
  flowdeck: PlaygroundRun;
  reference: PlaygroundRun;
}

interface Reading {
  t: number;
  epoch: number;
  testLoss: number;
}

/** Runs in the page: samples (time, epoch, test loss) every frame for `windowMs`. */
function sampleInPage(page: Page, read: string, windowMs: number): Promise<Reading[]> {
  return page.evaluate(
    ({ read, windowMs }) =>
      new Promise<Reading[]>((resolve) => {
        const get = new Function(`return (${read})`) as () => { epoch: number; testLoss: number };
        const out: Reading[] = [];
        const start = performance.now();
        const frame = () => {
          const now = performance.now();
          const r = get();
          out.push({ t: now - start, epoch: r.epoch, testLoss: r.testLoss });
          if (now - start < windowMs) requestAnimationFrame(frame);
          else resolve(out);
        };
        requestAnimationFrame(frame);
      }),
    { read, windowMs },
  );
}

/** Seconds the page's main thread spent in tasks since `Performance.enable` (CDP). */
async function taskClock(page: Page): Promise<{ read(): Promise<number>; stop(): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  return {
    async read() {
      const { metrics } = await cdp.send("Performance.getMetrics");
      return metrics.find((m) => m.name === "TaskDuration")?.value ?? NaN;
    },
    stop: () => cdp.detach(),
  };
}

async function longTasksSince(page: Page, since: number): Promise<number[]> {
  return page.evaluate(
    (t0) => (window.__bench?.longTasks ?? []).filter((t) => t.start >= t0).map((t) => t.duration),
    since,
  );
}

async function run(
  page: Page,
  start: string,
  read: string,
  backend: string,
): Promise<PlaygroundRun> {
  const t0 = await page.evaluate(() => performance.now());
  const clock = await taskClock(page);
  const busy0 = await clock.read();
  const wall0 = Date.now();
  await page.evaluate(start);
  const readings = await sampleInPage(page, read, WINDOW_MS);
  const busy1 = await clock.read();
  await clock.stop();
  const wall = (Date.now() - wall0) / 1000;
  const longTasks = await longTasksSince(page, t0);
  const first = readings.find((r) => r.t >= WARM_UP_MS) ?? readings[0];
  const last = readings[readings.length - 1];
  const hit = readings.find((r) => r.testLoss < TARGET_LOSS);
  return {
    epochsPerSecond:
      first && last && last.t > first.t
        ? ((last.epoch - first.epoch) * 1000) / (last.t - first.t)
        : 0,
    timeToLossMs: hit ? hit.t : null,
    epochs: last?.epoch ?? 0,
    idleFraction: Math.max(0, 1 - (busy1 - busy0) / wall),
    longTasks,
    backend,
  };
}

export async function measureFlowdeck(
  browser: Browser,
  baseUrl: string,
  query = "",
): Promise<PlaygroundRun> {
  const session = await freshPage(browser);
  try {
    const { page } = session;
    await page.goto(new URL(`notebook.html?n=playground${query}`, baseUrl).href);
    await waitReady(page);
    await page.locator('[data-cell="playground/playground"]').scrollIntoViewIfNeeded();
    await settle(page);
    await page.waitForFunction(
      () => document.querySelector(".pg")?.getAttribute("data-backend"),
      undefined,
      {
        timeout: 30_000,
      },
    );
    const backend = (await page.locator(".pg").getAttribute("data-backend")) ?? "";
    await page.waitForTimeout(300);
    return await run(
      page,
      `document.querySelector('.pg [data-action=play]').click()`,
      `{ epoch: Number(document.querySelector('.pg').dataset.epoch ?? 0), testLoss: Number(document.querySelector('.pg').dataset.testLoss ?? 1) }`,
      `TF.js ${backend} in a worker; Canvas 2D on the page`,
    );
  } finally {
    await session.close();
  }
}

async function measureReference(browser: Browser, url: string): Promise<PlaygroundRun> {
  const session = await freshPage(browser);
  try {
    const { page } = session;
    await page.goto(url);
    await page.waitForFunction(() => "__reference" in window, undefined, { timeout: 30_000 });
    await page.waitForTimeout(300);
    return await run(
      page,
      `window.__reference.start()`,
      `window.__reference`,
      "plain TypeScript on the main thread",
    );
  } finally {
    await session.close();
  }
}

export async function measurePlayground(
  browser: Browser,
  flowdeckUrl: string,
  referenceUrl: string,
  progress: (message: string) => void,
): Promise<PlaygroundResult> {
  // reference first, then Flowdeck, then both again; report the lower of the two runs for each side
  const runs: PlaygroundResult[] = [];
  for (let i = 0; i < 2; i++) {
    const reference = await measureReference(browser, referenceUrl);
    progress(`playground reference: ${reference.epochsPerSecond.toFixed(1)} epochs/s`);
    const flowdeck = await measureFlowdeck(browser, flowdeckUrl);
    progress(`playground flowdeck: ${flowdeck.epochsPerSecond.toFixed(1)} epochs/s`);
    runs.push({ flowdeck, reference });
  }
  const median = (pick: (r: PlaygroundResult) => PlaygroundRun) =>
    runs.map(pick).sort((a, b) => a.epochsPerSecond - b.epochsPerSecond)[0] as PlaygroundRun;
  return { flowdeck: median((r) => r.flowdeck), reference: median((r) => r.reference) };
}

const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
const tasks = (t: number[]) => (t.length ? `${t.length}, max ${ms(Math.max(...t))}` : "0");

export function playgroundRows(result: PlaygroundResult | undefined): Row[] {
  const fd = result?.flowdeck;
  const ref = result?.reference;
  const T = PLAYGROUND_TARGETS;
  return [
    {
      metric: "playground epochs/s, drawing every frame (base: main-thread reference)",
      flowdeck: fd ? fd.epochsPerSecond.toFixed(1) : DASH,
      baseline: ref ? ref.epochsPerSecond.toFixed(1) : DASH,
      ratio: ratio(fd?.epochsPerSecond, ref?.epochsPerSecond),
      target: `≥ ${T.ratio}×`,
      status: status(fd && ref ? fd.epochsPerSecond >= T.ratio * ref.epochsPerSecond : undefined),
    },
    {
      metric: "  playground: play → test loss < 0.05",
      flowdeck: ms(fd?.timeToLossMs),
      baseline: ms(ref?.timeToLossMs),
      ratio: ratio(fd?.timeToLossMs, ref?.timeToLossMs),
      target: DASH,
      status: "info",
    },
    {
      metric: "playground main thread idle while training",
      flowdeck: fd ? pct(fd.idleFraction) : DASH,
      baseline: ref ? pct(ref.idleFraction) : DASH,
      ratio: DASH,
      target: `≥ ${pct(T.idle)}`,
      status: status(fd ? fd.idleFraction >= T.idle : undefined),
    },
    {
      metric: "playground long tasks (>50 ms) while training",
      flowdeck: fd ? tasks(fd.longTasks) : DASH,
      baseline: ref ? tasks(ref.longTasks) : DASH,
      ratio: DASH,
      target: "0",
      status: status(fd ? fd.longTasks.length === 0 : undefined),
    },
    {
      metric: "  playground: who trains / draws",
      flowdeck: fd?.backend ?? DASH,
      baseline: ref?.backend ?? DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    },
  ];
}
