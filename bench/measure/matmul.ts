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
  /** per backend: median of flowdeck / reference over the compared sizes */
  ratios: Record<string, number>;
  renderers: Record<string, string>;
  /** where the plain page ran its measurements */
  referenceThread: ReferenceThread;
  /** backends the plain page could not measure, and why */
  referenceErrors: string[];
}

async function flowdeckRun(
  page: Page,
  url: string,
): Promise<{ points: MatmulSample[]; renderers: Record<string, string> }> {
  await page.goto(new URL("notebook.html?n=breakthroughs", url).href, { waitUntil: "load" });
  await waitReady(page);
  await page
    .locator('[data-slot="breakthroughs/matmul"]')
    .evaluate((e) => e.scrollIntoView({ block: "center" }));
  await page.waitForFunction(
    () => document.querySelector<HTMLElement>("[data-role=matmul-bench]")?.dataset.done === "true",
    undefined,
    { timeout: 400_000, polling: 500 },
  );
  return page.evaluate(() => {
    const root = document.querySelector<HTMLElement>("[data-role=matmul-bench]")!;
    return {
      points: JSON.parse(root.dataset.points ?? "[]") as MatmulSample[],
      renderers: JSON.parse(root.dataset.renderers ?? "{}") as Record<string, string>,
    };
  });
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

export async function measureMatmul(
  browser: Browser,
  flowdeckUrl: string,
  referenceUrl: string,
  progress: (message: string) => void,
  referenceThread: ReferenceThread = "worker",
): Promise<MatmulResult> {
  const a = await freshPage(browser);
  let flowdeck: Awaited<ReturnType<typeof flowdeckRun>>;
  try {
    flowdeck = await flowdeckRun(a.page, flowdeckUrl);
  } finally {
    await a.close();
  }
  const backends = [...new Set(flowdeck.points.map((p) => p.backend))];
  progress(
    `matmul: Flowdeck measured ${backends.join(", ")}; now the plain page (${referenceThread} thread)`,
  );
  const b = await freshPage(browser);
  let reference: MatmulSample[];
  let referenceErrors: string[];
  try {
    ({ points: reference, errors: referenceErrors } = await referenceRun(
      b.page,
      referenceUrl,
      backends,
      referenceThread,
    ));
  } finally {
    await b.close();
  }
  const ratios: Record<string, number> = {};
  for (const backend of backends) {
    const r = flowdeck.points
      .filter((p) => p.backend === backend && p.n >= COMPARED_FROM)
      .flatMap((p) => {
        const ref = reference.find((q) => q.backend === backend && q.n === p.n);
        return ref ? [p.gflops / ref.gflops] : [];
      })
      .sort((x, y) => x - y);
    if (r.length) ratios[backend] = r[Math.floor(r.length / 2)]!;
  }
  return {
    flowdeck: flowdeck.points,
    reference,
    ratios,
    renderers: flowdeck.renderers,
    referenceThread,
    referenceErrors,
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
