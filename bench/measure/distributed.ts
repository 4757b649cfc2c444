/**
 * Data-parallel training on Web Workers (notebook.html?n=distributed, the `demo` cell): for each
 * worker count, a synchronous parameter-server run is started from the controls, warmed up (the
 * workers load TensorFlow.js and MNIST, then 20 steps), and its examples per second measured over
 * a window of wall-clock time from the counters the demo publishes (`data-examples`), with the
 * demo's account of where a step's time went (`data-breakdown`) and the CPU the machine and the
 * browser used. Long tasks (> 50 ms) on the main thread are recorded during the windows.
 */
import type { Browser, Page } from "playwright-core";
import { freshPage } from "../lib/browser.ts";
import { DASH, status, type Row } from "../lib/report.ts";
import {
  cpuBetween,
  cpuSample,
  threadsBetween,
  threadsSample,
  type ThreadCores,
} from "../lib/cpu.ts";
import { waitReady } from "./hooks.ts";

export type Aggregation = "ps" | "ring";
const AGGREGATION_LABEL: Record<Aggregation, string> = {
  ps: "parameter server",
  ring: "ring all-reduce",
};

export const DISTRIBUTED_TARGET = { speedupAt2: 1.6, longTaskMs: 50 } as const;

const WARM_UP_MS = 1500;

export interface DistributedResult {
  /** examples per second, keyed by worker count */
  examplesPerSecond: Record<string, number>;
  /** steps per second, keyed by worker count */
  stepsPerSecond: Record<string, number>;
  /** the median over rounds of examples/s with 2 workers over examples/s with 1 */
  speedupAt2: number | null;
  /** each round's ratio */
  speedupsAt2: number[];
  /** main-thread tasks over 50 ms during the measuring windows, ms each */
  longTasks: number[];
  backend: string;
  windowMs: number;
  /** keyed by worker count: ms per step in all, and each worker's ms computing, communicating, waiting */
  breakdown: Record<string, Breakdown>;
  /** every window, in the order measured */
  windows: DistributedWindow[];
  batchPerWorker: number;
  /** the same with larger batches per worker (computation outweighs a step's messages more) */
  larger?: DistributedResult;
  /** every other batch per worker measured (`--distributed-batches`), keyed by batch; 512 is also `larger` */
  sizes?: Record<string, DistributedResult>;
  /** where the speed-up at 2 workers fell short of 2× (medians over rounds) */
  rest: Rest | null;
  /** which way the gradients were combined in the figures above */
  aggregation: Aggregation;
  /** the other way, measured in the same rounds (alternating with it) */
  other?: DistributedResult;
}

/**
 * The speed-up at 2 workers is 2 × (step on 1) / (step on 2), which is 2 × A × B with
 * A = compute on 1 / compute on 2 (a worker computing slower beside another: the other threads
 * and programs take cores, the two share memory bandwidth and caches) and
 * B = (step / compute on 1) / (step / compute on 2) (a step's messages, the coordinator and the
 * barrier: waiting for the slower of two). Also the cores the browser got and what used them.
 */
export interface Rest {
  computeFactor: number;
  overheadFactor: number;
  /** cores used, medians over the 2-worker windows */
  browserCores: number | null;
  machineCores: number | null;
  members: number | null;
  coordinator: number | null;
  pageMain: number | null;
  gpu: number | null;
  rendererOther: number | null;
}

export interface Breakdown {
  stepMs: number;
  computeMs: number;
  commMs: number;
  waitMs: number;
}

interface Counters {
  step: number;
  examples: number;
  running: boolean;
  run: number;
  workers: number;
  status: string;
  breakdown: string;
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
      breakdown: d.breakdown ?? "",
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

/** One measuring window of one worker count. */
export interface DistributedWindow {
  workers: number;
  /** "ring": the members reduce among themselves (ring-member.ts); "ps": through the coordinator */
  aggregation: Aggregation;
  examplesPerSecond: number;
  stepsPerSecond: number;
  breakdown: Breakdown | null;
  /** cores busy on the whole machine, and cores this bench's browser used (Linux only) */
  cpu: { machineCores: number; browserCores: number } | null;
  /** the browser's cores by thread: the page's main thread, each worker, the rest (Linux only) */
  threads: ThreadCores | null;
  /** main-thread tasks over 50 ms in this window, ms each */
  longTasks: number[];
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Each round measures every worker count once, in turn, so that whatever else the machine does
 * falls on all counts alike; the result is the median over rounds of each, and the speed-up the
 * median of the rounds' own ratios.
 */
export async function measureDistributed(
  browser: Browser,
  baseUrl: string,
  workerCounts: readonly number[] = [1, 2, 4],
  windowMs = 6_000,
  onProgress: (message: string) => void = () => {},
  rounds = 3,
  batchPerWorker = 128,
  /** measured in turn within each round; the first is the result's, the second its `other` */
  aggregations: readonly Aggregation[] = ["ring", "ps"],
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
    const batchSelect = page.locator(".fd-distributed select[name=batchPerWorker]");
    if ((await batchSelect.locator("option:checked").textContent()) !== String(batchPerWorker)) {
      await batchSelect.selectOption({ label: String(batchPerWorker) });
    }
    const windows: DistributedWindow[] = [];
    let backend = "";
    const aggregationSelect = page.locator(".fd-distributed select[name=aggregation]");
    for (let round = 0; round < rounds; round++) {
      for (const [aggregation, n] of aggregations.flatMap((a) =>
        workerCounts.map((k) => [a, k] as const),
      )) {
        const label = AGGREGATION_LABEL[aggregation];
        if ((await aggregationSelect.locator("option:checked").textContent()) !== label) {
          await aggregationSelect.selectOption({ label });
        }
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
        // new workers run colder code for their first second or so (the browser compiles hot
        // code again): every count gets the same warm-up time, not only the same 20 steps
        await new Promise((r) => setTimeout(r, WARM_UP_MS));
        const a = await counters(page);
        const cpuA = cpuSample(process.pid);
        const threadsA = threadsSample(process.pid);
        const t0 = Date.now();
        const longBefore = await page.evaluate(() => {
          const w = window as unknown as { __measuring: boolean; __longTasks: number[] };
          w.__measuring = true;
          return w.__longTasks.length;
        });
        await new Promise((r) => setTimeout(r, windowMs));
        const b = await counters(page);
        const seconds = (Date.now() - t0) / 1000;
        const cpu = cpuBetween(cpuA, cpuSample(process.pid));
        const threads = threadsBetween(threadsA, threadsSample(process.pid));
        const longInWindow = await page.evaluate((from) => {
          const w = window as unknown as { __measuring: boolean; __longTasks: number[] };
          w.__measuring = false;
          return w.__longTasks.slice(from);
        }, longBefore);
        const w: DistributedWindow = {
          workers: n,
          aggregation,
          examplesPerSecond: (b.examples - a.examples) / seconds,
          stepsPerSecond: (b.step - a.step) / seconds,
          breakdown: b.breakdown ? (JSON.parse(b.breakdown) as Breakdown) : null,
          cpu,
          threads,
          longTasks: longInWindow,
        };
        windows.push(w);
        backend = /backend: ([\w, ]+)/.exec(b.status)?.[1]?.trim() ?? backend;
        onProgress(
          `distributed, batch ${batchPerWorker}, ${aggregation}: round ${round + 1}/${rounds}: ${describeWindow(w)}`,
        );
      }
    }
    const longTasks = await page.evaluate(
      () => (window as unknown as { __longTasks: number[] }).__longTasks,
    );
    const [first, ...others] = aggregations.map((a) =>
      summarize(
        windows.filter((w) => w.aggregation === a),
        a,
        workerCounts,
        { longTasks, backend, windowMs, batchPerWorker },
      ),
    );
    return { ...first!, ...(others[0] ? { other: others[0] } : {}) };
  } finally {
    await session.close();
  }
}

/** Medians over rounds of one way of combining, from its windows in the order measured. */
function summarize(
  windows: DistributedWindow[],
  aggregation: Aggregation,
  workerCounts: readonly number[],
  common: Pick<DistributedResult, "longTasks" | "backend" | "windowMs" | "batchPerWorker">,
): DistributedResult {
  const examplesPerSecond: Record<string, number> = {};
  const stepsPerSecond: Record<string, number> = {};
  const breakdown: Record<string, Breakdown> = {};
  for (const n of workerCounts) {
    const of = windows.filter((w) => w.workers === n);
    examplesPerSecond[n] = median(of.map((w) => w.examplesPerSecond));
    stepsPerSecond[n] = median(of.map((w) => w.stepsPerSecond));
    const parts = of.map((w) => w.breakdown).filter((x): x is Breakdown => !!x);
    if (parts.length) {
      breakdown[n] = {
        stepMs: median(parts.map((x) => x.stepMs)),
        computeMs: median(parts.map((x) => x.computeMs)),
        commMs: median(parts.map((x) => x.commMs)),
        waitMs: median(parts.map((x) => x.waitMs)),
      };
    }
  }
  const ratios: number[] = [];
  const rounds = Math.floor(windows.length / workerCounts.length);
  for (let round = 0; round < rounds; round++) {
    const inRound = windows.slice(round * workerCounts.length, (round + 1) * workerCounts.length);
    const one = inRound.find((w) => w.workers === 1)?.examplesPerSecond;
    const two = inRound.find((w) => w.workers === 2)?.examplesPerSecond;
    if (one && two) ratios.push(two / one);
  }
  return {
    ...common,
    aggregation,
    rest: restAt2(windows, breakdown),
    examplesPerSecond,
    stepsPerSecond,
    speedupAt2: ratios.length ? median(ratios) : null,
    speedupsAt2: ratios,
    breakdown,
    windows,
  };
}

function restAt2(windows: DistributedWindow[], breakdown: Record<string, Breakdown>): Rest | null {
  const one = breakdown[1];
  const two = breakdown[2];
  if (!one || !two || !one.computeMs || !two.computeMs) return null;
  const of2 = windows.filter((w) => w.workers === 2);
  const m = (pick: (w: DistributedWindow) => number | undefined) => {
    const values = of2.map(pick).filter((x): x is number => x !== undefined);
    return values.length ? median(values) : null;
  };
  return {
    computeFactor: one.computeMs / two.computeMs,
    overheadFactor: one.stepMs / one.computeMs / (two.stepMs / two.computeMs),
    browserCores: m((w) => w.cpu?.browserCores),
    machineCores: m((w) => w.cpu?.machineCores),
    members: m((w) =>
      w.threads ? (w.threads.workers[0] ?? 0) + (w.threads.workers[1] ?? 0) : undefined,
    ),
    coordinator: m((w) => w.threads?.workers[2]),
    pageMain: m((w) => w.threads?.pageMain),
    gpu: m((w) => w.threads?.gpu),
    rendererOther: m((w) => w.threads?.rendererOther),
  };
}

/** One line: where 2× went. */
export function describeRest(r: Rest): string {
  const c = (x: number | null) => (x === null ? "?" : x.toFixed(2));
  return (
    `2 × ${r.computeFactor.toFixed(2)} (each worker computes a step that much as fast as alone) × ${r.overheadFactor.toFixed(2)} (messages, coordinator, barrier) = ${(2 * r.computeFactor * r.overheadFactor).toFixed(2)}×; ` +
    `cores: machine ${c(r.machineCores)} busy of 2, this browser ${c(r.browserCores)} (members ${c(r.members)}, coordinator ${c(r.coordinator)}, GPU process ${c(r.gpu)}, renderer's other threads ${c(r.rendererOther)}, page ${c(r.pageMain)})`
  );
}

function describeWindow(w: DistributedWindow): string {
  const ms = (x: number) => x.toFixed(1);
  const t = w.breakdown;
  return (
    `${w.workers} worker${w.workers > 1 ? "s" : ""}: ${w.examplesPerSecond.toFixed(0)} examples/s, ${w.stepsPerSecond.toFixed(1)} steps/s` +
    (w.longTasks.length
      ? `, long tasks ${w.longTasks.map((t) => t.toFixed(0)).join(" ")} ms`
      : "") +
    (t
      ? ` (a step ${ms(t.stepMs)} ms; each worker: compute ${ms(t.computeMs)}, comm ${ms(t.commMs)}, wait ${ms(t.waitMs)})`
      : "") +
    (w.cpu
      ? `; cores busy ${w.cpu.machineCores.toFixed(2)}, this browser ${w.cpu.browserCores.toFixed(2)}`
      : "") +
    (w.threads
      ? `; by thread: workers ${w.threads.workers.map((c) => c.toFixed(2)).join(" ")}, page main ${w.threads.pageMain.toFixed(2)}, renderer other ${w.threads.rendererOther.toFixed(2)}, gpu ${w.threads.gpu.toFixed(2)}, browser ${w.threads.browser.toFixed(2)}`
      : "")
  );
}

const way = (r: DistributedResult | undefined) =>
  r?.aggregation === "ps" ? "PS" : "ring, member to member";

export function distributedRows(result: DistributedResult | undefined): Row[] {
  const rows: Row[] = [];
  const all = result
    ? [result, ...Object.values(result.sizes ?? {}), ...(result.sizes ? [] : [result.larger])]
        .flatMap((r) => [r, r?.other])
        .filter((r): r is DistributedResult => !!r)
    : [undefined];
  for (const r of all) {
    const eps = r?.examplesPerSecond ?? {};
    const batch = r ? `batch ${r.batchPerWorker}/worker` : "";
    rows.push(
      ...Object.keys(eps).map((n) => ({
        metric: `distributed: examples/s, ${n} worker${n === "1" ? "" : "s"} (sync, ${way(r)}, ${r?.backend || "?"}, ${batch})`,
        flowdeck: eps[n]!.toFixed(0),
        baseline: DASH,
        ratio: DASH,
        target: DASH,
        status: "info" as const,
      })),
    );
    rows.push({
      metric: `distributed: speed-up, 2 workers / 1 (${way(r)}, ${batch}; median of ${r?.speedupsAt2.length ?? 0} rounds)`,
      flowdeck: r?.speedupAt2 ? `${r.speedupAt2.toFixed(2)}×` : DASH,
      baseline: DASH,
      ratio: DASH,
      target: r?.aggregation === "ps" ? DASH : `≥ ${DISTRIBUTED_TARGET.speedupAt2}×`,
      status:
        r?.aggregation === "ps"
          ? ("info" as const)
          : status(r?.speedupAt2 ? r.speedupAt2 >= DISTRIBUTED_TARGET.speedupAt2 : undefined),
    });
    if (r?.rest) {
      rows.push({
        metric: `distributed: below 2× (${way(r)}, ${batch}): ${describeRest(r.rest)}`,
        flowdeck: DASH,
        baseline: DASH,
        ratio: DASH,
        target: DASH,
        status: "info" as const,
      });
    }
  }
  const long = [
    ...(result?.longTasks ?? []),
    ...Object.values(result?.sizes ?? (result?.larger ? { 512: result.larger } : {})).flatMap(
      (r) => r.longTasks,
    ),
  ];
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
