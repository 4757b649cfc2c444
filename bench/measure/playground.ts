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
import { serveStatic } from "../../tools/static-server.ts";
import { freshPage, launch } from "../lib/browser.ts";
import { buildReferencePlayground } from "../playground-ref/build.ts";
import { DASH, ms, ratio, status, type Row } from "../lib/report.ts";
import { settle, waitReady } from "./hooks.ts";

const WINDOW_MS = 6000;
const WARM_UP_MS = 1000;
const TARGET_LOSS = 0.05;
export const PLAYGROUND_TARGETS = { ratio: 3, idle: 0.8, longTaskMs: 50 } as const;
/** Runs per side and browser; medians are reported. */
const RUNS = 3;

export interface PlaygroundRun {
  epochsPerSecond: number;
  /** from "play" until test loss < 0.05; null if not reached in the window */
  timeToLossMs: number | null;
  epochs: number;
  idleFraction: number;
  longTasks: number[];
  backend: string;
  /** animation frames per second the page reached while training */
  fps: number;
}

export interface PlaygroundResult {
  /** how Chromium was started: "SwiftShader" or "--disable-gpu" */
  browser: string;
  flowdeck: PlaygroundRun;
  reference: PlaygroundRun;
  runs: Array<{ flowdeck: PlaygroundRun; reference: PlaygroundRun }>;
}

/** The same comparison in Chromium as the bench starts it and with `--disable-gpu`. */
export type PlaygroundResults = PlaygroundResult[];

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
    fps:
      first && last && last.t > first.t
        ? ((readings.length - readings.indexOf(first) - 1) * 1000) / (last.t - first.t)
        : 0,
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
      `${backend === "js" ? "plain TypeScript" : `TF.js ${backend}`} in a worker; Canvas 2D on the page`,
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

async function measurePlayground(
  label: string,
  browser: Browser,
  flowdeckUrl: string,
  referenceUrl: string,
  progress: (message: string) => void,
): Promise<PlaygroundResult> {
  // Alternate which side goes first, so neither always gets the warmer machine.
  const runs: PlaygroundResult["runs"] = [];
  for (let i = 0; i < RUNS; i++) {
    const one = async (side: "reference" | "flowdeck") => {
      const r =
        side === "reference"
          ? await measureReference(browser, referenceUrl)
          : await measureFlowdeck(browser, flowdeckUrl);
      progress(
        `playground (${label}) ${side} ${i + 1}/${RUNS}: ${r.epochsPerSecond.toFixed(1)} epochs/s at ${r.fps.toFixed(0)} fps, idle ${pct(r.idleFraction)}`,
      );
      return r;
    };
    if (i % 2 === 0) {
      const reference = await one("reference");
      runs.push({ reference, flowdeck: await one("flowdeck") });
    } else {
      const flowdeck = await one("flowdeck");
      runs.push({ flowdeck, reference: await one("reference") });
    }
  }
  const median = (pick: (r: PlaygroundResult["runs"][number]) => PlaygroundRun) =>
    runs.map(pick).sort((a, b) => a.epochsPerSecond - b.epochsPerSecond)[
      Math.floor(runs.length / 2)
    ]!;
  return {
    browser: label,
    flowdeck: median((r) => r.flowdeck),
    reference: median((r) => r.reference),
    runs,
  };
}

/**
 * Both pages in the bench's Chromium (SwiftShader holds pages to ~24 fps here) and in one
 * started with `--disable-gpu` (pages reach 60 fps here, as on a presenter's laptop).
 */
export async function measurePlaygrounds(
  root: string,
  chromiumPath: string,
  browser: Browser,
  flowdeckUrl: string,
  progress: (message: string) => void,
): Promise<PlaygroundResults> {
  const server = await serveStatic(await buildReferencePlayground(root));
  const noGpu = await launch(chromiumPath, ["--disable-gpu"]);
  try {
    return [
      await measurePlayground("--disable-gpu", noGpu, flowdeckUrl, server.url, progress),
      await measurePlayground("SwiftShader", browser, flowdeckUrl, server.url, progress),
    ];
  } finally {
    await noGpu.close();
    await server.close();
  }
}

const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
const tasks = (t: number[]) => (t.length ? `${t.length}, max ${ms(Math.max(...t))}` : "0");

export function playgroundRows(results: PlaygroundResults | undefined): Row[] {
  return (results ?? []).flatMap(rowsFor);
}

function rowsFor(result: PlaygroundResult): Row[] {
  const fd = result.flowdeck;
  const ref = result.reference;
  const T = PLAYGROUND_TARGETS;
  const where = `${result.browser}, ${fd.fps.toFixed(0)}/${ref.fps.toFixed(0)} fps`;
  return [
    {
      metric: `playground epochs/s (${where}; base: reference app)`,
      flowdeck: fd.epochsPerSecond.toFixed(1),
      baseline: ref.epochsPerSecond.toFixed(1),
      ratio: ratio(fd.epochsPerSecond, ref.epochsPerSecond),
      target: `≥ ${T.ratio}×`,
      status: status(fd.epochsPerSecond >= T.ratio * ref.epochsPerSecond),
    },
    {
      metric: `  playground: play → test loss < 0.05 (${result.browser})`,
      flowdeck: ms(fd.timeToLossMs),
      baseline: ms(ref.timeToLossMs),
      ratio: ratio(fd.timeToLossMs ?? undefined, ref.timeToLossMs ?? undefined),
      target: DASH,
      status: "info",
    },
    {
      metric: `playground main thread idle while training (${result.browser})`,
      flowdeck: pct(fd.idleFraction),
      baseline: pct(ref.idleFraction),
      ratio: DASH,
      target: `≥ ${pct(T.idle)}`,
      status: status(fd.idleFraction >= T.idle),
    },
    {
      metric: `playground long tasks (>50 ms) while training (${result.browser})`,
      flowdeck: tasks(fd.longTasks),
      baseline: tasks(ref.longTasks),
      ratio: DASH,
      target: "0",
      status: status(fd.longTasks.length === 0),
    },
    {
      metric: "  playground: who trains / draws",
      flowdeck: fd.backend,
      baseline: ref.backend,
      ratio: DASH,
      target: DASH,
      status: "info",
    },
  ];
}
