/**
 * Live training of the digit network (notebook.html?n=digits, the `retrain` cell) in headless
 * Chromium: press the button, read the held-out accuracy history the panel publishes
 * (`data-history`: [elapsed ms, accuracy, step] per evaluation on the 2,000 held-out digits),
 * stop after the run ends or after `limitMs` of training. Once on the page's default backend
 * (chosen by hardware: wasm here, where WebGL is SwiftShader) and once with a forced backend.
 */
import type { Browser } from "playwright-core";
import { freshPage } from "../lib/browser.ts";
import { DASH, ms, status, type Row } from "../lib/report.ts";
import { settle, waitReady } from "./hooks.ts";

export const DIGITS_TARGET = { accuracy: 0.95, withinMs: 10_000 } as const;

export interface DigitsResult {
  /** "" = the page's default choice */
  requested: string;
  backend: string;
  renderer: string;
  /** training time until held-out accuracy first reached the target; null if it did not */
  timeToTargetMs: number | null;
  /** the last held-out accuracy measured within the target time (10 s) of training */
  accuracyAtTarget: number | null;
  finalAccuracy: number | null;
  steps: number;
  totalSteps: number;
  finished: boolean;
  history: Array<[elapsedMs: number, accuracy: number, step: number]>;
}

interface PanelState {
  phase: string;
  step: number;
  steps: number;
  history: Array<[number, number, number]>;
}

export async function measureDigits(
  browser: Browser,
  baseUrl: string,
  requested: "" | "wasm" | "webgl",
  limitMs = 75_000,
  onProgress: (message: string) => void = () => {},
): Promise<DigitsResult> {
  const session = await freshPage(browser);
  try {
    const { page } = session;
    const query = requested ? `&backend=${requested}` : "";
    await page.goto(new URL(`notebook.html?n=digits${query}`, baseUrl).href);
    await waitReady(page);
    const slot = page.locator('[data-slot="digits/retrain"]');
    await slot.scrollIntoViewIfNeeded();
    const panel = page.locator("[data-role=digit-training]");
    await panel.waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () =>
        /held out/.test(document.querySelector("[data-role=digit-training]")?.textContent ?? ""),
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    await settle(page);
    await page.click("[data-role=digit-retrain]");
    const read = () =>
      panel.evaluate((el: HTMLElement): PanelState => ({
        phase: el.dataset.phase ?? "",
        step: Number(el.dataset.step ?? 0),
        steps: Number(el.dataset.steps ?? 0),
        history: JSON.parse(el.dataset.history ?? "[]") as Array<[number, number, number]>,
      }));
    const started = Date.now();
    let state = await read();
    let reported = 0;
    for (;;) {
      await page.waitForTimeout(500);
      state = await read();
      const last = state.history.at(-1);
      if (last && state.history.length !== reported) {
        reported = state.history.length;
        onProgress(
          `digits${requested ? ` (${requested})` : ""}: step ${last[2]}, ${(last[1] * 100).toFixed(1)} % after ${(last[0] / 1000).toFixed(1)} s`,
        );
      }
      if (state.phase === "done") break;
      if ((last?.[0] ?? 0) >= limitMs || Date.now() - started > limitMs + 30_000) break;
    }
    const info = await page.evaluate(() => ({
      backend: window.flowdeck.backend(),
      renderer: window.flowdeck.renderer(),
    }));
    const reached = state.history.find(([, accuracy]) => accuracy >= DIGITS_TARGET.accuracy);
    const within = state.history.filter(([ms]) => ms <= DIGITS_TARGET.withinMs);
    return {
      requested,
      ...info,
      timeToTargetMs: reached ? reached[0] : null,
      accuracyAtTarget: within.at(-1)?.[1] ?? null,
      finalAccuracy: state.history.at(-1)?.[1] ?? null,
      steps: state.step,
      totalSteps: state.steps,
      finished: state.phase === "done",
      history: state.history,
    };
  } finally {
    await session.close();
  }
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|software/i;

function where(r: DigitsResult): string {
  if (r.backend !== "webgl") return r.backend || "(no backend)";
  return SOFTWARE.test(r.renderer) ? "webgl on SwiftShader (CPU, not a GPU)" : "webgl (GPU)";
}

const percent = (v: number | null) => (v === null ? DASH : `${(v * 100).toFixed(1)} %`);

/** One row per backend measured: time to 95 % (the target), accuracy at the target time and at the end. */
export function digitsRows(results: readonly DigitsResult[]): Row[] {
  return results.flatMap((r) => [
    {
      metric: `digits live training → ${DIGITS_TARGET.accuracy * 100} % held-out, ${where(r)}`,
      flowdeck: ms(r.timeToTargetMs),
      baseline: DASH,
      ratio: DASH,
      target: `≤ ${DIGITS_TARGET.withinMs / 1000} s`,
      status: status(r.timeToTargetMs !== null && r.timeToTargetMs <= DIGITS_TARGET.withinMs),
    },
    {
      metric: `  digits held-out accuracy at ${DIGITS_TARGET.withinMs / 1000} s / at step ${r.steps} of ${r.totalSteps}`,
      flowdeck: `${percent(r.accuracyAtTarget)} / ${percent(r.finalAccuracy)}`,
      baseline: DASH,
      ratio: DASH,
      target: DASH,
      status: "info" as const,
    },
  ]);
}
