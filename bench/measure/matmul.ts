/**
 * The breakthroughs slide's matMul benchmark (a worker per backend, started by the notebook)
 * against the same measurement in a plain TensorFlow.js page (bench/matmul-ref), which also runs
 * each backend in a worker of its own, so that like is compared with like: on the main thread a
 * plain page's WebGL and CPU measure differently from a worker's (the main thread's WebGL context
 * shares the page's compositor, and its timers and `await`s share the page's event loop).
 * `referenceThread: "main"` measures the plain page on its main thread instead, to show that
 * difference. GFLOP/s per backend and size from both, and their ratio. The sizes from 256 up are compared
 * (below that a product takes well under a millisecond and the timer's noise dominates); the
 * target is agreement within 10 % (median ratio per backend).
 */
import type { Browser, Page } from "playwright-core";
import { freshPage } from "../lib/browser.ts";
import { DASH, status, type Row } from "../lib/report.ts";
import { waitReady } from "./hooks.ts";

export const MATMUL_TARGET = 0.1;

export type ReferenceThread = "worker" | "main";

interface Reference {
  __matmul?: { points: MatmulSample[]; errors: string[]; done: boolean };
}
const COMPARED_FROM = 256;

export interface MatmulSample {
  backend: string;
  n: number;
  gflops: number;
}

export interface MatmulResult {
  flowdeck: MatmulSample[];
  reference: MatmulSample[];
  /** per backend: median over the compared sizes of flowdeck / reference (each the best of its rounds) */
  ratios: Record<string, number>;
  renderers: Record<string, string>;
  /** where the plain page ran its measurements */
  referenceThread: ReferenceThread;
  /** backends the plain page could not measure, and why */
  referenceErrors: string[];
  /** every round's points; `flowdeck` and `reference` are the best of them */
  rounds: { flowdeck: MatmulSample[][]; reference: MatmulSample[][] };
}

/** serialized into the page: it may use nothing from this module */
const benchDone = () =>
  document.querySelector<HTMLElement>("[data-role=matmul-bench]")?.dataset.done === "true";

function readBench(
  page: Page,
): Promise<{ points: MatmulSample[]; renderers: Record<string, string> }> {
  return page.evaluate(() => {
    const root = document.querySelector<HTMLElement>("[data-role=matmul-bench]")!;
    return {
      points: JSON.parse(root.dataset.points ?? "[]") as MatmulSample[],
      renderers: JSON.parse(root.dataset.renderers ?? "{}") as Record<string, string>,
    };
  });
}

/** Opens the notebook and lets its benchmark run once: the page's start-up is over after it. */
async function flowdeckOpen(
  page: Page,
  url: string,
): Promise<{ points: MatmulSample[]; renderers: Record<string, string> }> {
  await page.goto(new URL("notebook.html?n=breakthroughs", url).href, { waitUntil: "load" });
  await waitReady(page);
  await page
    .locator('[data-slot="breakthroughs/matmul"]')
    .evaluate((e) => e.scrollIntoView({ block: "center" }));
  await page.waitForFunction(benchDone, undefined, { timeout: 400_000, polling: 500 });
  return readBench(page);
}

/** The slide's "measure again" button, on a page whose other cells have long finished. */
async function flowdeckAgain(page: Page): Promise<MatmulSample[]> {
  await page
    .locator('[data-slot="breakthroughs/bench-again"] button', { hasText: /^measure again$/ })
    .first()
    .click();
  // the benchmark pauses (and stops its worker) while its cell is scrolled away
  await page
    .locator('[data-slot="breakthroughs/matmul"]')
    .evaluate((e) => e.scrollIntoView({ block: "center" }));
  await page.waitForFunction(
    () => document.querySelector<HTMLElement>("[data-role=matmul-bench]")?.dataset.done !== "true",
    undefined,
    { timeout: 30_000, polling: 50 },
  );
  await page.waitForFunction(benchDone, undefined, { timeout: 400_000, polling: 500 });
  return (await readBench(page)).points;
}

async function referenceRun(
  page: Page,
  url: string,
  backends: string[],
  thread: ReferenceThread,
): Promise<{ points: MatmulSample[]; errors: string[] }> {
  await page.goto(new URL(`index.html?backends=${backends.join(",")}&thread=${thread}`, url).href, {
    waitUntil: "load",
  });
  await page.waitForFunction(
    () => (window as unknown as Reference).__matmul?.done === true,
    undefined,
    {
      timeout: 400_000,
      polling: 500,
    },
  );
  return page.evaluate(() => {
    const results = (window as unknown as Reference).__matmul!;
    return {
      points: results.points.map(({ backend, n, gflops }) => ({ backend, n, gflops })),
      errors: results.errors,
    };
  });
}

/**
 * Per backend and size, the best of the rounds: on a machine other work shares (this one swings
 * by ±50 % from one round to the next), the fastest round is the least disturbed one, on both
 * sides alike.
 */
function bestPoints(rounds: MatmulSample[][]): MatmulSample[] {
  const groups = new Map<string, MatmulSample[]>();
  for (const p of rounds.flat()) {
    const key = `${p.backend} ${p.n}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((g) => ({
    backend: g[0]!.backend,
    n: g[0]!.n,
    gflops: Math.max(...g.map((p) => p.gflops)),
  }));
}

/**
 * The slide's page is opened and its benchmark left to run once (a warm-up, measured while the
 * notebook's other cells start: not compared); then `rounds` times the plain page and the
 * slide's "measure again", alternating, so that both see the same machine (this one is shared),
 * and per size the best of the rounds.
 */
export async function measureMatmul(
  browser: Browser,
  flowdeckUrl: string,
  referenceUrl: string,
  progress: (message: string) => void,
  referenceThread: ReferenceThread = "worker",
  rounds = 3,
): Promise<MatmulResult> {
  const a = await freshPage(browser);
  const slideRounds: MatmulSample[][] = [];
  const referenceRounds: MatmulSample[][] = [];
  const referenceErrors: string[] = [];
  let renderers: Record<string, string>;
  try {
    const first = await flowdeckOpen(a.page, flowdeckUrl);
    renderers = first.renderers;
    const backends = [...new Set(first.points.map((p) => p.backend))];
    progress(
      `matmul: the slide measured ${backends.join(", ")} (warm-up); now ${rounds} rounds of the plain page (${referenceThread} thread) and the slide again`,
    );
    for (let round = 0; round < rounds; round++) {
      const b = await freshPage(browser);
      try {
        const reference = await referenceRun(b.page, referenceUrl, backends, referenceThread);
        referenceRounds.push(reference.points);
        referenceErrors.push(...reference.errors);
      } finally {
        await b.close();
      }
      slideRounds.push(await flowdeckAgain(a.page));
      progress(`matmul: round ${round + 1} of ${rounds} done`);
    }
  } finally {
    await a.close();
  }
  const flowdeck = bestPoints(slideRounds);
  const reference = bestPoints(referenceRounds);
  const ratios: Record<string, number> = {};
  for (const backend of new Set(flowdeck.map((p) => p.backend))) {
    const r = flowdeck
      .filter((p) => p.backend === backend && p.n >= COMPARED_FROM)
      .flatMap((p) => {
        const ref = reference.find((q) => q.backend === backend && q.n === p.n);
        return ref ? [p.gflops / ref.gflops] : [];
      })
      .sort((x, y) => x - y);
    if (r.length) ratios[backend] = r[Math.floor(r.length / 2)]!;
  }
  return {
    flowdeck,
    reference,
    ratios,
    renderers,
    referenceThread,
    referenceErrors: [...new Set(referenceErrors)],
    rounds: { flowdeck: slideRounds, reference: referenceRounds },
  };
}

export function matmulRows(result: MatmulResult | undefined): Row[] {
  if (!result) {
    return [
      {
        metric: "matmul GFLOP/s (slide vs plain page)",
        flowdeck: DASH,
        baseline: DASH,
        ratio: DASH,
        target: `±${MATMUL_TARGET * 100} %`,
        status: status(undefined),
      },
    ];
  }
  return Object.entries(result.ratios).map(([backend, ratio]) => {
    const best = (points: MatmulSample[]) =>
      Math.max(...points.filter((p) => p.backend === backend).map((p) => p.gflops));
    return {
      metric: `matmul ${backend}: best GFLOP/s (slide's worker vs plain page's ${result.referenceThread === "worker" ? "worker" : "main thread"})`,
      flowdeck: best(result.flowdeck).toFixed(2),
      baseline: best(result.reference).toFixed(2),
      ratio: `${ratio.toFixed(2)}×`,
      target: `±${MATMUL_TARGET * 100} %`,
      status: status(Math.abs(ratio - 1) <= MATMUL_TARGET),
    };
  });
}
