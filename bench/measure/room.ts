/**
 * The training room on loopback: the room server (tools/room) over dist/, the cluster page
 * (join.html?presenter-demo) training MNIST on its own worker, and two headless "phones" that
 * join through the join URL. Several rounds, each three windows in turn, so that the machine's
 * other load falls on all alike: the page's worker alone (the room's batch policy, as the slide
 * runs it), then with the two phones (they tap join, and leave after the window), then alone again
 * at the batches a step its worker had with the phones (how much of the gain is larger steps
 * rather than the phones). Examples per second in each, per-round ratios and their medians; each
 * device step's round trip through the server (weights down, gradient up, less the device's own
 * time), median and p95; the cores each window used. Weights to the phones at 16 bits (the
 * slide's default) or float32.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startRoomServer } from "../../tools/room/server.ts";
import {
  cpuBetween,
  cpuSample,
  threadsBetween,
  threadsSample,
  type ThreadsSample,
} from "../lib/cpu.ts";
import { DASH, msFine, status, type Row } from "../lib/report.ts";
import { median, percentile } from "../lib/stats.ts";
import { measureRelay, type RelayResult } from "./room-relay.ts";

/** Where the CPU went in one window (Linux; null elsewhere). */
export interface RoomCores {
  /** cores busy on the whole machine, of 2 here */
  machine: number;
  /** this bench's browser and its own Node process (the room server and the driver) */
  bench: number;
  /** the bench's Node process alone: the room server's relay, Playwright's driver */
  node: number;
  /** the pages' main threads, summed (the presenter's coordinator, the phones' bridges) */
  pageMains: number;
  /** each Web Worker, busiest first (the presenter's member, the phones' members) */
  workers: number[];
  /** the renderers' other threads, the GPU process and the browser process */
  rest: number;
  /** the busiest threads by process type and name, summed over processes: "renderer/Compositor" */
  top: [string, number][];
}

export interface RoomWindow {
  examplesPerSecond: number;
  /** the batches a step each member was last sent: this browser's worker first, then phones */
  batches: number[];
  cores: RoomCores | null;
}

export interface RoomRound {
  alone: RoomWindow;
  withPhones: RoomWindow;
  /** alone at the batches its worker had with the phones (`setBatches`) */
  aloneAtPhonesBatches: RoomWindow;
}

export interface RoomResult {
  mode: "sync" | "async";
  /** the bits of the weights sent to the phones */
  weightBits: 32 | 16;
  /** bytes of weights in one step to one phone */
  weightBytes: number;
  local: number;
  windowMs: number;
  rounds: RoomRound[];
  /** medians over rounds, examples per second */
  alone: number;
  withPhones: number;
  aloneAtPhonesBatches: number;
  /** medians of the rounds' own ratios, and each round's */
  ratio: { median: number; rounds: number[] };
  likeForLike: { median: number; rounds: number[] };
  roundTrip: { median: number; p95: number; samples: number };
  /** the same trip through the server with Node clients and nothing training (room-relay.ts) */
  relay: RelayResult;
  /** what each phone's page says about its last step (its compute time and loss) */
  phoneSteps: string[];
}

interface Snapshot {
  step: number;
  examples: number;
  rows: { memberId: number | null; state: string; steps: number; batches: number }[];
  roundTrips: number[];
  weights: { lastBytes: number };
}

interface Hooks {
  snapshot(): Snapshot;
  setBatches(batches: number | null): void;
}

// the snapshot without the loss history (thousands of steps, copied out every call)
const snapshot = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { flowdeckRoomDemo: Hooks }).flowdeckRoomDemo.snapshot();
    return {
      step: s.step,
      examples: s.examples,
      rows: s.rows,
      roundTrips: s.roundTrips,
      weights: s.weights,
    };
  });

const setBatches = (page: Page, batches: number | null) =>
  page.evaluate(
    (b) => (window as unknown as { flowdeckRoomDemo: Hooks }).flowdeckRoomDemo.setBatches(b),
    batches,
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(page: Page, ok: (s: Snapshot) => boolean, what: string, timeoutMs = 90_000) {
  const start = Date.now();
  for (;;) {
    const s = await snapshot(page);
    if (ok(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`room: timed out waiting for ${what}`);
    await sleep(200);
  }
}

const phonesTraining = (s: Snapshot) =>
  s.rows.filter((r) => r.memberId !== null && r.state === "training" && r.steps > 5).length;

/** Cores by thread kind ("renderer/Compositor", …) between two samples, the busiest first. */
function busiest(a: ThreadsSample | null, b: ThreadsSample | null, count = 8): [string, number][] {
  if (!a || !b) return [];
  const seconds = (b.at - a.at) / 1000;
  const sums = new Map<string, number>();
  for (const [key, t] of b.threads) {
    const kind = `${t.process}/${t.main ? "main" : t.name.replace(/\d+$/, "")}`;
    const used = (t.seconds - (a.threads.get(key)?.seconds ?? 0)) / seconds;
    sums.set(kind, (sums.get(kind) ?? 0) + used);
  }
  return [...sums]
    .filter(([, used]) => used >= 0.01)
    .sort((x, y) => y[1] - x[1])
    .slice(0, count)
    .map(([kind, used]) => [kind, Math.round(used * 100) / 100]);
}

/** Examples per second over `windowMs` of wall-clock time, with the cores used meanwhile. */
async function measureWindow(
  page: Page,
  windowMs: number,
): Promise<RoomWindow & { before: Snapshot; after: Snapshot }> {
  const before = await snapshot(page);
  const cpuA = cpuSample(process.pid);
  const threadsA = threadsSample(process.pid);
  const nodeA = process.cpuUsage();
  const t0 = Date.now();
  await sleep(windowMs);
  const after = await snapshot(page);
  const seconds = (Date.now() - t0) / 1000;
  const node = process.cpuUsage(nodeA);
  const cpu = cpuBetween(cpuA, cpuSample(process.pid));
  const threadsB = threadsSample(process.pid);
  const threads = threadsBetween(threadsA, threadsB);
  const cores: RoomCores | null =
    cpu && threads
      ? {
          machine: cpu.machineCores,
          bench: cpu.browserCores,
          node: (node.user + node.system) / 1e6 / seconds,
          pageMains: threads.pageMain,
          workers: threads.workers,
          rest: threads.rendererOther + threads.gpu + threads.browser,
          top: busiest(threadsA, threadsB),
        }
      : null;
  return {
    examplesPerSecond: (after.examples - before.examples) / seconds,
    batches: after.rows.filter((r) => r.state === "training").map((r) => r.batches),
    cores,
    before,
    after,
  };
}

const strip = ({ examplesPerSecond, batches, cores }: RoomWindow): RoomWindow => ({
  examplesPerSecond,
  batches,
  cores,
});

export async function measureRoom(
  browser: Browser,
  root: string,
  progress: (message: string) => void,
  mode: "sync" | "async",
  weightBits: 32 | 16 = 16,
  rounds = 3,
  windowMs = 10_000,
): Promise<RoomResult> {
  const server = await startRoomServer({
    dist: path.join(root, "dist"),
    port: 0,
    host: "127.0.0.1",
    log: () => {},
  });
  const contexts = [];
  try {
    // before any page trains: the relay and framing alone, on an otherwise quiet room
    const relay = await measureRelay(server, weightBits);
    progress(
      `room: relay alone, ${relay.samples} trips of ${(relay.stepBytes / 1000).toFixed(0)} kB: median ${relay.median.toFixed(1)} ms, p95 ${relay.p95.toFixed(1)} ms`,
    );
    // One worker of the page's own: on a 2-core machine where the "phones" are pages of the same
    // machine, joined devices can only add speed while a core is idle.
    const local = 1;
    const presenterContext = await browser.newContext();
    contexts.push(presenterContext);
    const presenter = await presenterContext.newPage();
    await presenter.goto(
      `${server.localUrl}join.html?presenter-demo&local=${local}&mode=${mode}&weights=${weightBits}`,
    );
    await presenter.waitForFunction(() => "flowdeckRoomDemo" in window);
    await until(presenter, (s) => s.step > 20, "the presenter's worker to train");
    const phones: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext({ isMobile: true, hasTouch: true });
      contexts.push(context);
      const phone = await context.newPage();
      await phone.goto(server.joinUrl);
      phones.push(phone);
    }
    const done: RoomRound[] = [];
    const trips: number[] = [];
    let weightBytes = 0;
    let phoneSteps: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const label = `room round ${round + 1}/${rounds}`;
      // alone: the phones out, the room's own policy (what the slide does), warmed up after the
      // last window's change
      await setBatches(presenter, null);
      await sleep(2000);
      const alone = await measureWindow(presenter, windowMs);
      progress(`${label}: ${alone.examplesPerSecond.toFixed(0)} examples/s alone; phones join`);
      for (const phone of phones) await phone.tap(".fd-join-action");
      await until(presenter, (s) => phonesTraining(s) === 2, "two phones training");
      await sleep(2000); // their batches a step settle once their round trips are measured
      const withPhones = await measureWindow(presenter, windowMs);
      trips.push(...withPhones.after.roundTrips.slice(withPhones.before.roundTrips.length));
      weightBytes = withPhones.after.weights.lastBytes;
      phoneSteps = await Promise.all(
        phones.map(async (p) => (await p.locator('[data-fact="lastStep"]').textContent()) ?? ""),
      );
      progress(
        `${label}: ${withPhones.examplesPerSecond.toFixed(0)} examples/s with two phones (batches ${withPhones.batches.join(", ")})`,
      );
      for (const phone of phones) await phone.click(".fd-join-leave");
      await until(presenter, (s) => phonesTraining(s) === 0, "the phones to leave");
      const k = withPhones.batches[0] ?? 1;
      await setBatches(presenter, k);
      await sleep(2000);
      const like = await measureWindow(presenter, windowMs);
      progress(`${label}: ${like.examplesPerSecond.toFixed(0)} examples/s alone at ${k} batches`);
      done.push({
        alone: strip(alone),
        withPhones: strip(withPhones),
        aloneAtPhonesBatches: strip(like),
      });
    }
    const eps = (pick: (r: RoomRound) => RoomWindow) =>
      median(done.map((r) => pick(r).examplesPerSecond));
    const ratios = done.map((r) => r.withPhones.examplesPerSecond / r.alone.examplesPerSecond);
    const likeRatios = done.map(
      (r) => r.withPhones.examplesPerSecond / r.aloneAtPhonesBatches.examplesPerSecond,
    );
    return {
      mode,
      weightBits,
      weightBytes,
      local,
      windowMs,
      rounds: done,
      alone: eps((r) => r.alone),
      withPhones: eps((r) => r.withPhones),
      aloneAtPhonesBatches: eps((r) => r.aloneAtPhonesBatches),
      ratio: { median: median(ratios), rounds: ratios },
      likeForLike: { median: median(likeRatios), rounds: likeRatios },
      roundTrip: {
        median: percentile(trips, 0.5),
        p95: percentile(trips, 0.95),
        samples: trips.length,
      },
      phoneSteps,
      relay,
    };
  } finally {
    for (const context of contexts) await context.close().catch(() => {});
    await server.close();
  }
}

export function roomRows(results: RoomResult[]): Row[] {
  return results.flatMap((result) =>
    roomRowsOf(`${result.mode}, ${result.weightBits}-bit weights`, result),
  );
}

const times = (values: number[]) => values.map((v) => `${v.toFixed(2)}×`).join(" ");
const c = (value: number | undefined) => (value === undefined ? DASH : value.toFixed(2));

/** "machine 1.98, page mains 0.41, workers 0.93 0.30 0.28, node 0.12, rest 0.20" (medians) */
function coresText(windows: RoomWindow[]): string {
  const all = windows.map((w) => w.cores).filter((x): x is RoomCores => x !== null);
  if (all.length === 0) return DASH;
  const m = (pick: (x: RoomCores) => number | undefined) => {
    const values = all.map(pick).filter((v): v is number => v !== undefined);
    return values.length ? median(values) : undefined;
  };
  const workers = Math.max(...all.map((x) => x.workers.length));
  const each = Array.from({ length: workers }, (_, i) => c(m((x) => x.workers[i])));
  return `machine ${c(m((x) => x.machine))}, workers ${each.join(" ")}, page mains ${c(m((x) => x.pageMains))}, node ${c(m((x) => x.node))}, rest ${c(m((x) => x.rest))}`;
}

function roomRowsOf(mode: string, result: RoomResult): Row[] {
  const rounds = result.rounds;
  return [
    {
      metric: `room ${mode}: examples/s (1 worker + 2 phones vs 1 worker), medians of ${rounds.length} rounds; ratios per round`,
      flowdeck: result.withPhones.toFixed(0),
      baseline: result.alone.toFixed(0),
      ratio: `${result.ratio.median.toFixed(2)}× (${times(result.ratio.rounds)})`,
      target: "> 1×",
      status: status(result.ratio.median > 1),
    },
    {
      metric: `room ${mode}: … against 1 worker alone at the same batches a step`,
      flowdeck: result.withPhones.toFixed(0),
      baseline: result.aloneAtPhonesBatches.toFixed(0),
      ratio: `${result.likeForLike.median.toFixed(2)}× (${times(result.likeForLike.rounds)})`,
      target: DASH,
      status: "info",
    },
    {
      metric: `room ${mode}: a step's round trip through the server, median / p95 (${result.roundTrip.samples} trips)`,
      flowdeck: `${msFine(result.roundTrip.median)} / ${msFine(result.roundTrip.p95)}`,
      // the same trip with Node clients and nothing training: what the relay itself costs
      baseline: `${msFine(result.relay.median)} / ${msFine(result.relay.p95)}`,
      ratio: DASH,
      target: DASH,
      status: "info",
    },
    {
      metric: `room ${mode}: batches a step with the phones, per round (this browser's worker, phones)`,
      flowdeck: rounds.map((r) => r.withPhones.batches.join(", ")).join(" · "),
      baseline: DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    },
    {
      metric: `room ${mode}: cores with the phones (medians)`,
      flowdeck: coresText(rounds.map((r) => r.withPhones)),
      baseline: coresText(rounds.map((r) => r.alone)),
      ratio: DASH,
      target: DASH,
      status: "info",
    },
  ];
}
