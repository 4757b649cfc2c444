/**
 * What runs in a slide's long tasks: `npx tsx bench/profile-slides.ts --slides 5/2,22/2`.
 *
 * Serves dist/ (build it first), walks the deck by keyboard like the bench's traversal (settled,
 * then the dwell, so loading ahead happens as it would) and records a Chromium trace and a CPU
 * profile over the pass asked for, up to the last target. In each target's window (the key press
 * that brought it to 2 s after it settled, as the bench's) every main-thread task over 50 ms is
 * printed with where its time went: trace events by self time
 * (script, style, layout, paint, GC, compile…) and the JavaScript functions by self and total time.
 *
 * Options: --slides H/V[,H/V…] (required), --pass N (profile in traversal N, default 1),
 * --dwell MS (default 2000), --min MS (tasks at least this long, default 50), --top N (rows),
 * --dist DIR (default dist; a build with `--minify false` keeps the functions' names).
 *
 * --keys: every slide of the pass instead, with a light trace (a detailed one over a whole pass
 * drops events): the task that handled the key press (reveal.js's keydown, its walk and layout
 * of the deck) and the longest task of the window, then their medians. With `--dwell 500` a
 * pass takes about a minute; windows then end at the next arrival's key press.
 * --count-nodes: the elements each slide and each cell's output holds after a pass.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { CDPSession, Page } from "playwright-core";
import { freshPage, launch } from "./lib/browser.ts";
import { settle, waitReady } from "./measure/hooks.ts";
import { CHROMIUM } from "../tools/chromium.ts";
import { serveStatic } from "../tools/static-server.ts";

interface Options {
  slides: Set<string>;
  pass: number;
  dwellMs: number;
  minMs: number;
  top: number;
  dist: string;
  /** after the pass, print the elements each slide holds (reveal walks them all on every key) */
  countNodes: boolean;
  /** every slide of the pass: the key press's own task and the longest task of its window */
  keys: boolean;
}

function parse(argv: string[]): Options {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const slides = value("--slides");
  const keys = argv.includes("--keys");
  if (!slides && !keys && !argv.includes("--count-nodes")) {
    throw new Error(
      "usage: npx tsx bench/profile-slides.ts --slides 5/2[,22/2] … | --keys | --count-nodes",
    );
  }
  return {
    slides: new Set(slides ? slides.split(",") : []),
    countNodes: argv.includes("--count-nodes"),
    keys,
    pass: Number(value("--pass") ?? 1),
    dwellMs: Number(value("--dwell") ?? 2000),
    minMs: Number(value("--min") ?? 50),
    top: Number(value("--top") ?? 12),
    dist: value("--dist") ?? "dist",
  };
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown>; beginData?: Record<string, unknown> };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Deck order of every slide as `h/v`. */
function slideOrder(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const order: string[] = [];
    const stacks = Array.from(document.querySelectorAll(".reveal .slides > section"));
    stacks.forEach((stack, h) => {
      const inner = Array.from(stack.children).filter((c) => c.tagName === "SECTION");
      if (inner.length === 0) order.push(`${h}/0`);
      else inner.forEach((_, v) => order.push(`${h}/${v}`));
    });
    return order;
  });
}

const current = (page: Page) =>
  page.evaluate(() => {
    const c = window.__bench?.describeCurrent();
    const fragments = document.querySelectorAll(
      ".reveal .slides section.present .fragment.visible",
    ).length;
    return { index: c?.index ?? "?", label: c?.label ?? "", fragments };
  });

async function press(page: Page, key: string): Promise<void> {
  await page.evaluate(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body) active.blur();
  });
  await page.keyboard.press(key);
}

class Recorder {
  readonly #cdp: CDPSession;
  #events: TraceEvent[] = [];
  #done: Promise<void> | undefined;

  constructor(cdp: CDPSession) {
    this.#cdp = cdp;
    cdp.on("Tracing.dataCollected", (e) =>
      this.#events.push(...(e.value as unknown as TraceEvent[])),
    );
  }

  /** `light`: tasks, events and marks only (a whole pass's detailed trace loses events) */
  async start(light = false): Promise<void> {
    this.#events = [];
    this.#done = new Promise((resolve) =>
      this.#cdp.once("Tracing.tracingComplete", () => resolve()),
    );
    await this.#cdp.send("Profiler.enable");
    await this.#cdp.send("Profiler.setSamplingInterval", { interval: 500 });
    const detail = [
      "disabled-by-default-devtools.timeline",
      "v8",
      "v8.execute",
      "blink",
      "disabled-by-default-v8.gc",
    ];
    await this.#cdp.send("Tracing.start", {
      categories: [
        "devtools.timeline",
        "blink.user_timing",
        "toplevel",
        ...(light ? [] : detail),
      ].join(","),
      transferMode: "ReportEvents",
    });
    if (!light) await this.#cdp.send("Profiler.start");
    this.#light = light;
  }

  #light = false;

  async stop(): Promise<{ events: TraceEvent[]; profile: Profile }> {
    const { profile } = this.#light
      ? { profile: { nodes: [], startTime: 0, samples: [], timeDeltas: [] } }
      : ((await this.#cdp.send("Profiler.stop")) as { profile: Profile });
    await this.#cdp.send("Tracing.end");
    await this.#done;
    return { events: this.#events, profile };
  }
}

const loadavg = () => readFile("/proc/loadavg", "utf8").catch(() => "?");

const round = (us: number) => (us / 1000).toFixed(1);

function describeEvent(e: TraceEvent): string {
  const data = e.args?.data ?? e.args?.beginData;
  if (!data) return e.name;
  const where = [data.functionName, data.url, data.type, data.timerId !== undefined ? "timer" : ""]
    .filter((x) => typeof x === "string" && x)
    .map((x) => String(x).replace(/^https?:\/\/[^/]+/, ""));
  return where.length ? `${e.name} (${where.join(" ")})` : e.name;
}

/** The main threads' tasks over `minMs`, each with its events by self time. */
function longTasks(
  events: TraceEvent[],
  profile: Profile,
  from: number,
  to: number,
  minMs: number,
  top: number,
): string[] {
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const lines: string[] = [];
  for (const thread of mainThreads) {
    const mine = events
      .filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === "X" && e.dur !== undefined)
      .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const isTask = (e: TraceEvent) =>
      e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask";
    const all = mine.filter(isTask);
    // outermost tasks only (a RunTask can nest another)
    const tasks = all.filter(
      (e) =>
        e.dur! >= minMs * 1000 &&
        e.ts >= from &&
        e.ts <= to &&
        !all.some(
          (p) => p !== e && p.ts <= e.ts && p.ts + p.dur! >= e.ts + e.dur! && p.dur! > e.dur!,
        ),
    );
    for (const task of tasks) {
      const end = task.ts + task.dur!;
      const inside = mine.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end);
      // self time: an event's duration less its direct children's
      const self = new Map<TraceEvent, number>();
      const stack: TraceEvent[] = [];
      for (const e of inside) {
        while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
        const parent = stack.at(-1);
        if (parent) self.set(parent, (self.get(parent) ?? parent.dur!) - e.dur!);
        self.set(e, self.get(e) ?? e.dur!);
        stack.push(e);
      }
      const byName = new Map<string, number>();
      for (const [e, us] of self)
        byName.set(describeEvent(e), (byName.get(describeEvent(e)) ?? 0) + us);
      lines.push(`  task ${round(task.ts - from)} ms after the key, ${round(task.dur!)} ms`);
      const outer = inside.filter(
        (e) =>
          !inside.some(
            (p) => p !== e && p.ts <= e.ts && p.ts + p.dur! >= e.ts + e.dur! && p.dur! > e.dur!,
          ),
      );
      lines.push(
        `    top-level: ${outer
          .slice(0, 6)
          .map((e) => `${describeEvent(e)} ${round(e.dur!)}`)
          .join("; ")}`,
      );
      for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        if (us >= 1000) lines.push(`    ${round(us).padStart(7)} ms self  ${name}`);
      }
      lines.push(...functionsIn(profile, task.ts, end, top));
    }
  }
  return lines;
}

/** The main threads' outermost tasks, sorted by start. */
function mainTasks(events: TraceEvent[]): TraceEvent[] {
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events
    .filter(
      (e) =>
        mainThreads.has(`${e.pid}:${e.tid}`) &&
        e.ph === "X" &&
        e.dur !== undefined &&
        (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask"),
    )
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const outer: TraceEvent[] = [];
  for (const t of tasks) {
    const last = outer.at(-1);
    if (last && last.pid === t.pid && t.ts + t.dur! <= last.ts + last.dur!) continue;
    outer.push(t);
  }
  return outer;
}

/**
 * Per slide: the task that handled the key press (reveal's keydown: its layout of the deck)
 * and the longest task of the issue's window; then their medians and how many windows had a
 * task over 50 ms.
 */
function keyTable(
  events: TraceEvent[],
  windows: Array<{ slide: string; key: string; settled: string }>,
  marks: Map<string, number>,
): string[] {
  const tasks = mainTasks(events);
  const keydowns = events
    .filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "keydown")
    .map((e) => e.ts);
  const rows: string[] = [];
  const keyMs: number[] = [];
  const longest: number[] = [];
  for (const [i, w] of windows.entries()) {
    const from = marks.get(w.key);
    const settled = marks.get(w.settled);
    if (from === undefined || settled === undefined) continue;
    // With a dwell under 2 s the next key comes first: the window ends there.
    const nextKey = windows[i + 1] && marks.get(windows[i + 1]!.key);
    const to = Math.min(settled + 2_000_000, nextKey ?? Infinity);
    const press = keydowns.find((ts) => ts >= from && ts <= to);
    const keyTask =
      press === undefined ? undefined : tasks.find((t) => t.ts <= press && press <= t.ts + t.dur!);
    const inWindow = tasks.filter((t) => t.ts >= from && t.ts <= to).map((t) => t.dur! / 1000);
    const max = Math.max(0, ...inWindow);
    const key = keyTask ? keyTask.dur! / 1000 : NaN;
    keyMs.push(key);
    longest.push(max);
    rows.push(
      `  ${w.slide.padEnd(6)} key ${key.toFixed(1).padStart(6)} ms   longest ${max.toFixed(1).padStart(6)} ms${max > 50 ? "  *" : ""}`,
    );
  }
  const median = (xs: number[]) => {
    const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    return s.length ? s[Math.floor(s.length / 2)]! : NaN;
  };
  rows.push(
    `key task median ${median(keyMs).toFixed(1)} ms, max ${Math.max(...keyMs.filter((x) => !Number.isNaN(x))).toFixed(1)} ms; ` +
      `windows with a task over 50 ms: ${longest.filter((x) => x > 50).length} of ${longest.length}`,
  );
  return rows;
}

/** The profile's samples between two trace times, by function: self and total. */
function functionsIn(profile: Profile, from: number, to: number, top: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => {
    const f = n.callFrame;
    const file = f.url.replace(/^https?:\/\/[^/]+/, "").replace(/-[A-Za-z0-9_-]{8}\.js$/, ".js");
    return `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < from || t > to) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    let node = byId.get(profile.samples[i]!);
    if (!node) continue;
    self.set(name(node), (self.get(name(node)) ?? 0) + dt);
    const seen = new Set<string>();
    while (node) {
      const key = name(node);
      if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + dt);
      seen.add(key);
      const up = parent.get(node.id);
      node = up === undefined ? undefined : byId.get(up);
    }
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .filter(([, us]) => us >= 1000)
      .map(([key, us]) => `      ${round(us).padStart(7)} ms  ${key}`);
  return ["    JS self:", ...rows(self), "    JS total:", ...rows(total)];
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const server = await serveStatic(path.resolve(options.dist));
  const browser = await launch(CHROMIUM);
  try {
    const session = await freshPage(browser);
    const { page } = session;
    const cdp = await page.context().newCDPSession(page);
    const recorder = new Recorder(cdp);
    await page.goto(server.url);
    await waitReady(page);
    await settle(page);
    const order = await slideOrder(page);
    const last =
      options.countNodes || options.keys
        ? order.length
        : Math.max(...[...options.slides].map((s) => order.indexOf(s)));
    // Recording starts a pass early: its own start (a long task) falls outside every window.
    const windows: Array<{ slide: string; label: string; key: string; settled: string }> = [];
    let presses = 0;
    for (let pass = 1; pass <= options.pass; pass++) {
      if (pass > 1) {
        await press(page, "Home");
        await settle(page);
      }
      if (pass === options.pass && !options.countNodes) {
        await recorder.start(options.keys);
        await page.waitForTimeout(1000);
      }
      let state = await current(page);
      for (;;) {
        const key = `profile:key:${++presses}`;
        await page.evaluate((name) => performance.mark(name), key);
        await press(page, "n");
        await settle(page);
        const settled = `profile:settled:${presses}`;
        await page.evaluate((name) => performance.mark(name), settled);
        const settledAt = Date.now();
        const next = await current(page);
        if (next.index === state.index && next.fragments === state.fragments) break;
        const arrived = next.index !== state.index;
        if (pass === options.pass && arrived && (options.keys || options.slides.has(next.index))) {
          windows.push({ slide: next.index, label: next.label, key, settled });
        }
        const left = settledAt + options.dwellMs - Date.now();
        if (left > 0) await page.waitForTimeout(left);
        state = next;
        if (pass === options.pass && order.indexOf(state.index) >= last) break;
      }
    }
    if (options.countNodes) {
      const counts = await page.evaluate(() =>
        Array.from(document.querySelectorAll(".reveal .slides section:not(.stack)")).map((s) => ({
          slide: s.querySelector("h1, h2, h3")?.textContent?.trim().slice(0, 40) ?? "",
          elements: s.querySelectorAll("*").length,
        })),
      );
      const total = await page.evaluate(() => document.querySelectorAll("*").length);
      console.log(`elements in the page: ${total}`);
      for (const c of counts.sort((a, b) => b.elements - a.elements).slice(0, 20)) {
        console.log(`  ${String(c.elements).padStart(7)}  ${c.slide}`);
      }
      // Which cells' outputs hold them, and of what tags.
      const slots = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>(".reveal .slides [data-slot]")).map(
          (slot) => {
            const tags = new Map<string, number>();
            for (const e of Array.from(slot.querySelectorAll("*")))
              tags.set(e.tagName.toLowerCase(), (tags.get(e.tagName.toLowerCase()) ?? 0) + 1);
            const top = [...tags].sort((a, b) => b[1] - a[1]).slice(0, 4);
            return {
              key: slot.dataset.slot ?? "",
              elements: slot.querySelectorAll("*").length,
              tags: top.map(([t, n]) => `${t} ${n}`).join(", "),
            };
          },
        ),
      );
      console.log("cells' outputs:");
      for (const s of slots.sort((a, b) => b.elements - a.elements).slice(0, 20)) {
        console.log(`  ${String(s.elements).padStart(7)}  ${s.key}  (${s.tags})`);
      }
      await session.close();
      return;
    }
    const { events, profile } = await recorder.stop();
    const marks = new Map(
      events.filter((e) => e.name.startsWith("profile:")).map((e) => [e.name, e.ts] as const),
    );
    if (options.keys) {
      console.log(`pass ${options.pass}, load ${(await loadavg()).trim()}`);
      console.log(keyTable(events, windows, marks).join("\n"));
      windows.length = 0;
    }
    for (const w of windows) {
      const from = marks.get(w.key);
      const settledTs = marks.get(w.settled);
      console.log(`\n== ${w.slide} ${w.label} (pass ${options.pass})`);
      if (from === undefined || settledTs === undefined) {
        console.log("  (marks missing from the trace)");
        continue;
      }
      const to = settledTs + 2_000_000;
      console.log(
        `  window ${round(to - from)} ms, settled ${round(settledTs - from)} ms after the key`,
      );
      const lines = longTasks(events, profile, from, to, options.minMs, options.top);
      console.log(lines.length ? lines.join("\n") : "  no long task");
    }
    if (session.errors.length) console.log(`page errors:\n${session.errors.join("\n")}`);
    await session.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
