/**
 * Start-up of one deck in a fresh context (empty cache): time to ready, to the first slide
 * shown (Flowdeck: settled), first contentful paint, and the JavaScript fetched before ready
 * (resource timing's encodedBodySize: the gzip bytes on the wire, headers not counted).
 */
import type { Browser } from "playwright-core";
import { freshPage } from "../lib/browser.ts";

export type DeckKind = "flowdeck" | "baseline";

export interface StartupRun {
  readyMs: number;
  /** Flowdeck: `flowdeck.settled()` resolved; baseline: two frames after ready */
  firstSlideMs: number;
  /** two frames after ready, for both */
  visibleMs: number;
  fcpMs: number | null;
  /** gzip bytes of JavaScript requested before ready */
  jsBytes: number;
  jsRequests: number;
  /** gzip bytes of all JavaScript requested before the first slide settled */
  jsBytesFirstSlide: number;
  /** cells in error on the first slide (Flowdeck) */
  cellErrors: string[];
}

interface PageTimings {
  marks: Record<string, number>;
  fcp: number | null;
  resources: { name: string; start: number; encoded: number }[];
  cellErrors: string[];
}

const MARKS: Record<DeckKind, { ready: string; first: string; visible: string }> = {
  flowdeck: { ready: "flowdeck:ready", first: "flowdeck:settled", visible: "flowdeck:visible" },
  baseline: { ready: "baseline:ready", first: "baseline:visible", visible: "baseline:visible" },
};

const TIMEOUT_MS = 60_000;

function isJavaScript(url: string): boolean {
  return /\.m?js$/.test(new URL(url).pathname);
}

export async function measureStartup(
  browser: Browser,
  kind: DeckKind,
  url: string,
): Promise<StartupRun> {
  const marks = MARKS[kind];
  const session = await freshPage(browser);
  try {
    const { page } = session;
    await page.goto(url, { waitUntil: "commit" });
    const outcome = await page.waitForFunction(
      (names: string[]) => {
        if (document.querySelector(".fd-fatal"))
          return document.querySelector(".fd-fatal")?.textContent ?? "fatal";
        return names.every((n) => performance.getEntriesByName(n).length > 0) ? "ok" : false;
      },
      [marks.ready, marks.first, marks.visible],
      { timeout: TIMEOUT_MS, polling: 20 },
    );
    const state = await outcome.jsonValue();
    if (state !== "ok") throw new Error(`${kind} did not start: ${String(state)}`);
    // Paint timing entries arrive after the frame is presented: give the first one a moment.
    await page
      .waitForFunction(
        () => performance.getEntriesByName("first-contentful-paint").length > 0,
        undefined,
        {
          timeout: 2000,
          polling: 20,
        },
      )
      .catch(() => undefined);
    const timings: PageTimings = await page.evaluate(() => {
      const markTimes: Record<string, number> = {};
      for (const entry of performance.getEntriesByType("mark"))
        markTimes[entry.name] = entry.startTime;
      const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
      const resources = (
        performance.getEntriesByType("resource") as PerformanceResourceTiming[]
      ).map((r) => ({ name: r.name, start: r.startTime, encoded: r.encodedBodySize }));
      const cellErrors = (window.flowdeck?.cells() ?? [])
        .filter((c) => c.state === "error")
        .map((c) => `${c.notebook}/${c.id}: ${c.error ?? ""}`);
      return { marks: markTimes, fcp, resources, cellErrors };
    });
    const at = (name: string): number => {
      const t = timings.marks[name];
      if (t === undefined) throw new Error(`mark ${name} missing`);
      return t;
    };
    const readyMs = at(marks.ready);
    const firstSlideMs = at(marks.first);
    const js = timings.resources.filter((r) => isJavaScript(r.name));
    const before = js.filter((r) => r.start < readyMs);
    const sum = (list: { encoded: number }[]) => list.reduce((total, r) => total + r.encoded, 0);
    return {
      readyMs,
      firstSlideMs,
      visibleMs: at(marks.visible),
      fcpMs: timings.fcp,
      jsBytes: sum(before),
      jsRequests: before.length,
      jsBytesFirstSlide: sum(js.filter((r) => r.start < firstSlideMs)),
      cellErrors: timings.cellErrors,
    };
  } finally {
    await session.close();
  }
}
