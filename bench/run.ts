/**
 * `npm run bench`: Flowdeck's built site (dist/) against a plain reveal.js deck of the same
 * slides, in headless Chromium, side by side. See bench/README.md.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { launch } from "./lib/browser.ts";
import { parseOptions, type BenchOptions, type Entry } from "./lib/options.ts";
import { progress } from "./lib/progress.ts";
import {
  DASH,
  kb,
  ms,
  msFine,
  ratio,
  renderTable,
  status,
  writeResults,
  type Row,
} from "./lib/report.ts";
import { serveStatic } from "../tools/static-server.ts";
import { summarize, type Summary } from "./lib/stats.ts";
import { measureSlider, type SliderResult } from "./measure/slider.ts";
import { measureStartup, type DeckKind, type StartupRun } from "./measure/startup.ts";
import { measureTraversal, type LongTask, type TraversalResult } from "./measure/traversal.ts";
import { buildPlainDeck } from "./plain/build.ts";
import {
  measurePlaygrounds,
  playgroundRows,
  type PlaygroundResults,
} from "./measure/playground.ts";
import { digitsRows, measureDigits, type DigitsResult } from "./measure/digits.ts";
import { buildMatmulReference } from "./matmul-ref/build.ts";
import {
  matmulRows,
  measureMatmul,
  type MatmulResult,
  type ReferenceThread,
} from "./measure/matmul.ts";
import { measureRoom, roomRows, type RoomResult } from "./measure/room.ts";
import {
  distributedRows,
  measureDistributed,
  type DistributedResult,
} from "./measure/distributed.ts";

const TARGET_RATIO = 1.5;
const TARGET_JS_BYTES = 200_000;
const TARGET_P95_MS = 16;
const TASK_KINDS = { other: "other", startup: "cell start-up", load: "page load" } as const;
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software/i;

interface StartupSummary {
  runs: StartupRun[];
  failures: string[];
  readyMs?: Summary;
  firstSlideMs?: Summary;
  visibleMs?: Summary;
  fcpMs?: Summary;
  jsBytes?: Summary;
  jsRequests?: Summary;
  jsBytesFirstSlide?: Summary;
}

function summarizeStartup(runs: StartupRun[], failures: string[]): StartupSummary {
  if (runs.length === 0) return { runs, failures };
  const pick = (f: (r: StartupRun) => number | null) =>
    summarize(runs.map(f).filter((v): v is number => v !== null));
  return {
    runs,
    failures,
    readyMs: pick((r) => r.readyMs),
    firstSlideMs: pick((r) => r.firstSlideMs),
    visibleMs: pick((r) => r.visibleMs),
    fcpMs: pick((r) => r.fcpMs),
    jsBytes: pick((r) => r.jsBytes),
    jsRequests: pick((r) => r.jsRequests),
    jsBytesFirstSlide: pick((r) => r.jsBytesFirstSlide),
  };
}

async function startupRuns(
  browser: Browser,
  urls: Record<DeckKind, string>,
  runs: number,
): Promise<Record<DeckKind, StartupSummary>> {
  const results: Record<DeckKind, StartupRun[]> = { flowdeck: [], baseline: [] };
  const failures: Record<DeckKind, string[]> = { flowdeck: [], baseline: [] };
  for (let i = 0; i < runs; i++) {
    // Alternate which deck goes first, so neither always gets the warmer machine.
    const order: DeckKind[] = i % 2 === 0 ? ["flowdeck", "baseline"] : ["baseline", "flowdeck"];
    const line: string[] = [];
    for (const kind of order) {
      try {
        const run = await measureStartup(browser, kind, urls[kind]);
        results[kind].push(run);
        line.push(
          `${kind} ready ${ms(run.readyMs)}, first slide ${ms(run.firstSlideMs)}, JS ${kb(run.jsBytes)}`,
        );
        if (run.cellErrors.length) line.push(`cells in error: ${run.cellErrors.join("; ")}`);
      } catch (error) {
        const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
        failures[kind].push(message);
        line.push(`${kind} FAILED: ${message}`);
      }
    }
    progress(`start-up ${i + 1}/${runs}: ${line.join(" | ")}`);
  }
  return {
    flowdeck: summarizeStartup(results.flowdeck, failures.flowdeck),
    baseline: summarizeStartup(results.baseline, failures.baseline),
  };
}

async function attempt<T>(
  label: string,
  errors: string[],
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`${label}: ${message}`);
    progress(`${label} FAILED: ${message.split("\n")[0]}`);
    return undefined;
  }
}

function longTaskSummary(tasks: LongTask[]) {
  const longest = tasks.reduce<LongTask | undefined>(
    (a, t) => (!a || t.duration > a.duration ? t : a),
    undefined,
  );
  return {
    count: tasks.length,
    totalMs: tasks.reduce((sum, t) => sum + t.duration, 0),
    longest: longest
      ? { durationMs: longest.duration, slide: longest.slide, traversal: longest.traversal }
      : null,
  };
}

function describeTasks(tasks: LongTask[]): string {
  const s = longTaskSummary(tasks);
  return s.longest ? `${s.count}, max ${ms(s.longest.durationMs)}` : "0";
}

function hardwareLabel(backend: string, renderer: string): { label: string; software: boolean } {
  const software = SOFTWARE_RENDERER.test(renderer);
  const kind =
    renderer === ""
      ? "no WebGL renderer"
      : software
        ? "software renderer on the CPU, not a GPU"
        : "GPU";
  return { label: `${backend || "(tf not loaded)"} on ${renderer || DASH} (${kind})`, software };
}

function buildRows(
  startup: Record<DeckKind, StartupSummary>,
  slider: SliderResult | undefined,
  traversal: TraversalResult | undefined,
  only: ReadonlySet<Entry>,
): Row[] {
  const fd = startup.flowdeck;
  const base = startup.baseline;
  const rows: Row[] = [];
  const within = (a?: Summary, b?: Summary) =>
    a && b ? a.median <= TARGET_RATIO * b.median : undefined;
  type Measure =
    "readyMs" | "firstSlideMs" | "visibleMs" | "fcpMs" | "jsBytes" | "jsBytesFirstSlide";
  /** One metric measured on both decks, side by side. */
  const compare = (
    metric: string,
    key: Measure,
    format: (value?: number) => string,
    target: string,
    passed?: boolean,
  ): Row => ({
    metric,
    flowdeck: format(fd[key]?.median),
    baseline: format(base[key]?.median),
    ratio: ratio(fd[key]?.median, base[key]?.median),
    target,
    status: target === DASH ? "info" : status(passed),
  });
  const ratioTarget = `≤ ${TARGET_RATIO}×`;
  if (only.has("startup")) rows.push(...startupRows());
  if (only.has("slider")) rows.push(...sliderRows());
  if (only.has("traversal")) rows.push(...traversalRows());
  return rows;

  function startupRows(): Row[] {
    const rows: Row[] = [];
    rows.push(
      compare(
        "time to ready (fd: flowdeck.ready; base: reveal ready)",
        "readyMs",
        ms,
        ratioTarget,
        within(fd.readyMs, base.readyMs),
      ),
      compare(
        "time to first slide (fd: settled(); base: shown)",
        "firstSlideMs",
        ms,
        ratioTarget,
        within(fd.firstSlideMs, base.firstSlideMs),
      ),
      compare("  first slide shown (2 frames after ready)", "visibleMs", ms, DASH),
      compare("  first contentful paint", "fcpMs", ms, DASH),
      compare(
        "JS before first slide (gzip, before ready)",
        "jsBytes",
        kb,
        `≤ ${kb(TARGET_JS_BYTES)}`,
        fd.jsBytes ? fd.jsBytes.median <= TARGET_JS_BYTES : undefined,
      ),
    );
    rows.push({
      metric: "  JS requests before ready",
      flowdeck: fd.jsRequests ? String(fd.jsRequests.median) : DASH,
      baseline: base.jsRequests ? String(base.jsRequests.median) : DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    });
    rows.push(compare("  JS by first slide settled (gzip)", "jsBytesFirstSlide", kb, DASH));
    return rows;
  }

  function sliderRows(): Row[] {
    const rows: Row[] = [];
    rows.push({
      metric: `slider input → ${slider?.display ?? "x0 display"}, p50`,
      flowdeck: msFine(slider?.p50),
      baseline: DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    });
    rows.push({
      metric: `slider input → x0 display, p95 (n=${slider?.samples.length ?? 0})`,
      flowdeck: msFine(slider?.p95),
      baseline: DASH,
      ratio: DASH,
      target: `≤ ${TARGET_P95_MS} ms`,
      status: status(slider ? slider.p95 <= TARGET_P95_MS : undefined),
    });
    rows.push({
      metric: `  slider → all ${slider?.dependents.length ?? 0} dependents ready, p50 / p95`,
      flowdeck: slider
        ? `${msFine(slider.allDependents.p50)} / ${msFine(slider.allDependents.p95)}`
        : DASH,
      baseline: DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    });
    return rows;
  }

  function traversalRows(): Row[] {
    const rows: Row[] = [];
    const m1 = traversal?.memory[0];
    const m3 = traversal?.memory[2];
    rows.push({
      metric: "tensors after traversal 1 → 3",
      flowdeck: m1 && m3 ? `${m1.numTensors} → ${m3.numTensors}` : DASH,
      baseline: DASH,
      ratio: DASH,
      target: "equal",
      status: status(m1 && m3 ? m1.numTensors === m3.numTensors : undefined),
    });
    rows.push({
      metric: "tensor bytes after traversal 1 → 3",
      flowdeck: m1 && m3 ? `${m1.numBytes} → ${m3.numBytes}` : DASH,
      baseline: DASH,
      ratio: DASH,
      target: "equal",
      status: status(m1 && m3 ? m1.numBytes === m3.numBytes : undefined),
    });
    const stalled = traversal?.perSlide.filter((r) => r.passes.some((p) => p.count > 0)) ?? [];
    rows.push({
      metric: "slides with a long task (>50 ms) on arrival, any of 3 passes",
      flowdeck: traversal ? `${stalled.length} of ${traversal.perSlide.length}` : DASH,
      baseline: DASH,
      ratio: DASH,
      target: "0",
      status: status(traversal ? stalled.length === 0 : undefined),
    });
    // The issue's window, per pass: from the key press to 2 s after the slide settled.
    for (let pass = 0; pass < (traversal?.perSlide[0]?.fromKey.length ?? 0); pass++) {
      const hit = traversal!.perSlide.filter((r) => (r.fromKey[pass]?.count ?? 0) > 0);
      const longest = Math.max(0, ...hit.map((r) => r.fromKey[pass]!.maxMs));
      rows.push({
        metric: `slides with a long task, key press → 2 s after settled, pass ${pass + 1}`,
        flowdeck: `${hit.length} of ${traversal!.perSlide.length}${hit.length ? `, max ${ms(longest)}` : ""}`,
        baseline: DASH,
        ratio: DASH,
        target: "0",
        status: status(hit.length === 0),
      });
    }
    const tasks = traversal?.longTasks ?? [];
    const other = tasks.filter((t) => t.kind === "other");
    rows.push({
      metric: "long tasks (>50 ms) outside cell start-up, 3 passes",
      flowdeck: traversal ? describeTasks(other) : DASH,
      baseline: DASH,
      ratio: DASH,
      target: "0",
      status: status(traversal ? other.length === 0 : undefined),
    });
    rows.push({
      metric: "  long tasks in cell start-up (≤1 s after arrival)",
      flowdeck: traversal ? describeTasks(tasks.filter((t) => t.kind === "startup")) : DASH,
      baseline: DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    });
    rows.push({
      metric: "  long tasks during page load",
      flowdeck: traversal ? describeTasks(tasks.filter((t) => t.kind === "load")) : DASH,
      baseline: DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    });
    return rows;
  }
}

/** The breakthroughs slide's matmul benchmark against the plain TensorFlow.js page. */
async function matmulComparison(
  browser: Browser,
  root: string,
  flowdeckUrl: string,
  errors: string[],
  thread: ReferenceThread,
): Promise<MatmulResult | undefined> {
  progress("matmul: the breakthroughs slide's workers vs a plain TensorFlow.js page");
  return attempt("matmul", errors, async () => {
    const server = await serveStatic(await buildMatmulReference(root));
    try {
      const result = await measureMatmul(browser, flowdeckUrl, server.url, progress, thread);
      for (const [backend, ratio] of Object.entries(result.ratios)) {
        progress(`matmul ${backend}: slide / plain page = ${ratio.toFixed(3)} (median, n ≥ 256)`);
      }
      return result;
    } finally {
      await server.close();
    }
  });
}

async function main(options: BenchOptions): Promise<number> {
  const { root } = options;
  const dist = path.join(root, "dist");
  const deck = path.join(root, "slides", "talk.md");
  for (const [file, why] of [
    [path.join(dist, "index.html"), "run `vite build` first (npm run bench does)"],
    [deck, "the deck's Markdown is needed for both decks"],
    [options.chromium, "Debian's chromium is expected there"],
  ] as const) {
    if (!existsSync(file)) throw new Error(`cannot measure: ${file} is missing (${why})`);
  }

  progress("building the baseline deck (plain reveal.js, same slides, no cells)");
  const plain = await buildPlainDeck(root, deck);
  progress(
    `baseline built in ${path.relative(root, plain.outDir)} (${plain.slides.removed} cell slots left out)`,
  );

  const flowdeckServer = await serveStatic(dist);
  const baselineServer = await serveStatic(plain.outDir);
  const errors: string[] = [];
  let browser: Browser | undefined;
  try {
    browser = await launch(options.chromium);
    const b = browser;
    progress(
      `Chromium ${browser.version()}; Flowdeck at ${flowdeckServer.url}, baseline at ${baselineServer.url}`,
    );
    const run = (entry: Entry) => options.only.has(entry);
    let startup: Record<DeckKind, StartupSummary> = {
      flowdeck: { runs: [], failures: [] },
      baseline: { runs: [], failures: [] },
    };
    if (run("startup")) {
      progress(
        `start-up: ${options.runs} runs per deck, alternating, fresh context (empty cache) each`,
      );
      startup = await startupRuns(
        browser,
        { flowdeck: flowdeckServer.url, baseline: baselineServer.url },
        options.runs,
      );
      for (const kind of ["flowdeck", "baseline"] as const) {
        if (startup[kind].runs.length === 0) errors.push(`start-up (${kind}): every run failed`);
      }
    }

    let slider: SliderResult | undefined;
    if (run("slider")) {
      progress(`slider latency: ${options.sliderSamples} samples on notebook.html?n=tensorflow`);
      slider = await attempt("slider", errors, () =>
        measureSlider(b, flowdeckServer.url, options.sliderSamples, (n) =>
          progress(`slider: ${n}/${options.sliderSamples} samples`),
        ),
      );
    }

    let traversal: TraversalResult | undefined;
    if (run("traversal")) {
      progress(
        `traversals: 3 × the whole deck by keyboard, settled + ${options.dwellMs} ms after each step`,
      );
      traversal = await attempt("traversal", errors, () =>
        measureTraversal(b, flowdeckServer.url, (message) => progress(message), options.dwellMs),
      );
    }

    let playground: PlaygroundResults | undefined;
    if (run("playground")) {
      progress("playground: Flowdeck (worker) vs the main-thread reference, at the defaults");
      playground = await attempt("playground", errors, () =>
        measurePlaygrounds(root, options.chromium, b, flowdeckServer.url, progress),
      );
    }

    const digits: DigitsResult[] = [];
    if (run("digits")) {
      progress("digits: live MNIST training, the page's default backend, then forced WebGL");
      for (const requested of ["", "webgl"] as const) {
        const label = `digits${requested ? ` (${requested})` : ""}`;
        const result = await attempt(label, errors, () =>
          // Forced WebGL is only a comparison here (SwiftShader): 40 s of it is enough.
          measureDigits(b, flowdeckServer.url, requested, requested ? 40_000 : 75_000, progress),
        );
        if (result) digits.push(result);
      }
    }

    const matmul = run("matmul")
      ? await matmulComparison(b, root, flowdeckServer.url, errors, options.matmulReference)
      : undefined;

    const room: RoomResult[] = [];
    if (run("room")) {
      // the slide's default (16-bit weights to devices) in both modes, and float32 for comparison
      for (const name of options.roomRuns) {
        const mode = name.startsWith("async") ? "async" : "sync";
        const weightBits = name.endsWith("32") ? 32 : 16;
        progress(
          `room ${mode}, ${weightBits}-bit weights: ${options.roomRounds} rounds of the cluster page's worker alone, with two phones joined on loopback, and alone at their batches`,
        );
        const result = await attempt(`room ${mode} ${weightBits}`, errors, () =>
          measureRoom(b, root, progress, mode, weightBits, options.roomRounds),
        );
        if (result) room.push(result);
      }
    }

    let distributed: DistributedResult | undefined;
    if (run("distributed")) {
      progress("distributed: data-parallel training on 1, 2 and 4 Web Workers");
      const [first, ...others] = options.distributedBatches;
      distributed = await attempt(`distributed, batch ${first}`, errors, () =>
        measureDistributed(b, flowdeckServer.url, [1, 2, 4], undefined, progress, 3, first),
      );
      for (const batch of others) {
        const result = await attempt(`distributed, batch ${batch}`, errors, () =>
          measureDistributed(b, flowdeckServer.url, [1, 2], undefined, progress, 3, batch),
        );
        if (!distributed || !result) continue;
        (distributed.sizes ??= {})[String(batch)] = result;
        if (batch === 512) distributed.larger = result;
      }
    }

    const backend = slider?.backend || traversal?.backend || digits[0]?.backend || "";
    const renderer = slider?.renderer || traversal?.renderer || digits[0]?.renderer || "";
    const hardware = hardwareLabel(backend, renderer);

    const rows = [
      ...buildRows(startup, slider, traversal, options.only),
      ...playgroundRows(playground),
      ...digitsRows(digits),
      ...(run("matmul") ? matmulRows(matmul) : []),
      ...(run("room") ? roomRows(room) : []),
      ...(distributed ? distributedRows(distributed) : []),
    ];

    const results = {
      timestamp: new Date().toISOString(),
      complete: errors.length === 0,
      errors,
      options: {
        only: [...options.only],
        runs: options.runs,
        sliderSamples: options.sliderSamples,
      },
      environment: {
        node: process.version,
        chromium: browser.version(),
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "",
        loadAverage: os.loadavg(),
      },
      hardware: { backend, renderer, software: hardware.software, label: hardware.label },
      baselineBuild: { cellSlotsRemoved: plain.slides.removed },
      targets: { ratio: TARGET_RATIO, jsBytes: TARGET_JS_BYTES, sliderP95Ms: TARGET_P95_MS },
      table: rows,
      startup,
      slider: slider ?? null,
      playground: playground ?? null,
      digits,
      matmul: matmul ?? null,
      room,
      distributed: distributed ?? null,
      traversal: traversal
        ? {
            ...traversal,
            longTaskSummary: {
              other: longTaskSummary(traversal.longTasks.filter((t) => t.kind === "other")),
              startup: longTaskSummary(traversal.longTasks.filter((t) => t.kind === "startup")),
              load: longTaskSummary(traversal.longTasks.filter((t) => t.kind === "load")),
            },
          }
        : null,
    };
    const file = await writeResults(root, results);

    const out: string[] = [];
    out.push("");
    out.push(
      `Flowdeck benchmark — medians of ${options.runs} alternating runs per deck; ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    out.push(`TensorFlow.js backend: ${hardware.label}`);
    if (hardware.software) {
      out.push(
        "  (SwiftShader/llvmpipe render WebGL on the CPU: timings here say nothing about a GPU)",
      );
    }
    out.push("");
    out.push(renderTable(rows));
    out.push("");
    if (traversal) {
      out.push(
        `Deck: ${traversal.slides} slides, ${traversal.steps.join("/")} steps per pass; pass times ${traversal.durationsMs
          .map((d) => `${(d / 1000).toFixed(1)} s`)
          .join(", ")}; ${traversal.dwellMs} ms stayed on each step after it settled`,
      );
      if (traversal.settleTimeouts.length)
        out.push(`settled() timed out on: ${traversal.settleTimeouts.join(", ")}`);
      if (traversal.cellErrors.length)
        out.push(`cells in error: ${traversal.cellErrors.join("; ")}`);
      out.push(
        "Long tasks (>50 ms) per slide and pass, from arriving until leaving (target: none):",
      );
      out.push(`  ${"slide".padEnd(48)}${[1, 2, 3].map((p) => `pass ${p}`.padStart(14)).join("")}`);
      for (const row of traversal.perSlide) {
        const cells = row.passes.map((p) =>
          (p.count ? `${p.count} × ≤${ms(p.maxMs)}` : "0").padStart(14),
        );
        out.push(`  ${row.slide.slice(0, 47).padEnd(48)}${cells.join("")}`);
      }
      const clean = traversal.perSlide.filter((r) => r.passes.every((p) => p.count === 0)).length;
      out.push(`  ${clean} of ${traversal.perSlide.length} slides without a long task in any pass`);
      out.push(
        "Long tasks (>50 ms) per slide and pass, from the key press to 2 s after settled (target: none):",
      );
      for (const row of traversal.perSlide) {
        if (row.fromKey.every((p) => p.count === 0)) continue;
        const cells = row.fromKey.map((p) =>
          (p.count ? `${p.count} × ≤${ms(p.maxMs)}` : "0").padStart(14),
        );
        out.push(`  ${row.slide.slice(0, 47).padEnd(48)}${cells.join("")}`);
      }
      out.push("Long tasks (>50 ms) by slide:");
      for (const kind of ["other", "startup", "load"] as const) {
        const longest = longTaskSummary(traversal.longTasks.filter((t) => t.kind === kind)).longest;
        if (longest) {
          out.push(
            `  longest ${TASK_KINDS[kind]}: ${ms(longest.durationMs)} on slide ${longest.slide} (pass ${longest.traversal})`,
          );
        }
      }
      for (const t of traversal.longTasks) {
        out.push(
          `  ${ms(t.duration).padStart(7)}  pass ${t.traversal}  ${TASK_KINDS[t.kind].padEnd(13)}  ${t.slide}`,
        );
      }
    }
    for (const kind of ["flowdeck", "baseline"] as const) {
      if (startup[kind].failures.length)
        out.push(`${kind} start-up failures: ${startup[kind].failures.join("; ")}`);
    }
    if (errors.length) out.push(`Could not measure:\n  ${errors.join("\n  ")}`);
    out.push(`Results: ${path.relative(root, file)} (and bench/results/latest.json)`);
    console.log(out.join("\n"));
    return errors.length === 0 ? 0 : 1;
  } finally {
    await browser?.close();
    await flowdeckServer.close();
    await baselineServer.close();
  }
}

Promise.resolve()
  .then(() => main(parseOptions(process.argv.slice(2))))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
