/**
 * The training room on loopback: the room server (tools/room) over dist/, the cluster page
 * (join.html?presenter-demo) training MNIST on its own two workers, then with two headless
 * "phones" joined through the join URL. Examples per second over a fixed window, before and after
 * they join, and each device step's round trip through the server (weights down, gradient up,
 * less the device's own compute), median and p95; with the weights to the phones at 16 bits (the
 * slide's default) or float32.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startRoomServer } from "../../tools/room/server.ts";
import { DASH, msFine, status, type Row } from "../lib/report.ts";
import { percentile } from "../lib/stats.ts";
import { measureRelay, type RelayResult } from "./room-relay.ts";

export interface RoomResult {
  mode: "sync" | "async";
  /** the bits of the weights sent to the phones */
  weightBits: 32 | 16;
  /** bytes of weights in one step to one phone */
  weightBytes: number;
  local: number;
  windowMs: number;
  /** examples per second, the presenter's workers alone and with two phones */
  alone: number;
  withPhones: number;
  /**
   * alone again, its worker sent as many batches a step as it was with the phones (`?batches=`):
   * how much of the gain is the larger steps rather than the phones
   */
  aloneAtPhonesBatches: number;
  roundTrip: { median: number; p95: number; samples: number };
  /** the same trip through the server with Node clients and nothing training (room-relay.ts) */
  relay: RelayResult;
  /** the batches a step each member was last sent: this browser's worker first, then the phones */
  batches: number[];
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

const snapshot = (page: Page) =>
  page.evaluate(() =>
    (
      window as unknown as { flowdeckRoomDemo: { snapshot(): Snapshot } }
    ).flowdeckRoomDemo.snapshot(),
  );

async function until(page: Page, ok: (s: Snapshot) => boolean, what: string, timeoutMs = 90_000) {
  const start = Date.now();
  for (;;) {
    const s = await snapshot(page);
    if (ok(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`room: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Examples per second over `windowMs` of wall-clock time. */
async function rate(page: Page, windowMs: number): Promise<number> {
  const a = await snapshot(page);
  const t0 = Date.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const b = await snapshot(page);
  return ((b.examples - a.examples) * 1000) / (Date.now() - t0);
}

export async function measureRoom(
  browser: Browser,
  root: string,
  progress: (message: string) => void,
  mode: "sync" | "async",
  weightBits: 32 | 16 = 16,
  windowMs = 15_000,
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
    await until(presenter, (s) => s.step > 20, "the presenter's workers to train");
    progress(`room: ${local} workers alone, ${windowMs / 1000} s`);
    const alone = await rate(presenter, windowMs);
    progress(`room: ${alone.toFixed(0)} examples/s alone; two phones join`);
    const phones: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext({ isMobile: true, hasTouch: true });
      contexts.push(context);
      const phone = await context.newPage();
      await phone.goto(server.joinUrl);
      await phone.tap(".fd-join-action");
      phones.push(phone);
    }
    await until(
      presenter,
      (s) =>
        s.rows.filter((r) => r.memberId !== null && r.state === "training" && r.steps > 5)
          .length === 2,
      "two phones training",
    );
    const skip = (await snapshot(presenter)).roundTrips.length;
    const withPhones = await rate(presenter, windowMs);
    const after = await snapshot(presenter);
    const trips = after.roundTrips.slice(skip);
    progress(
      `room: ${withPhones.toFixed(0)} examples/s with two phones; ${trips.length} round trips`,
    );
    const phoneSteps = await Promise.all(
      phones.map(async (p) => (await p.locator('[data-fact="lastStep"]').textContent()) ?? ""),
    );
    const batches = after.rows.map((r) => r.batches);
    for (const context of contexts.splice(0)) await context.close();
    // like for like: the presenter's worker alone at the batches it had with the phones
    const likeContext = await browser.newContext();
    contexts.push(likeContext);
    const like = await likeContext.newPage();
    await like.goto(
      `${server.localUrl}join.html?presenter-demo&local=${local}&mode=${mode}&weights=${weightBits}&batches=${batches[0]}`,
    );
    await like.waitForFunction(() => "flowdeckRoomDemo" in window);
    await until(like, (s) => s.step > 20, "the presenter's worker to train again");
    const aloneAtPhonesBatches = await rate(like, windowMs);
    progress(
      `room: ${aloneAtPhonesBatches.toFixed(0)} examples/s alone at ${batches[0]} batches a step`,
    );
    return {
      mode,
      weightBits,
      weightBytes: after.weights.lastBytes,
      local,
      windowMs,
      alone,
      withPhones,
      aloneAtPhonesBatches,
      roundTrip: {
        median: percentile(trips, 0.5),
        p95: percentile(trips, 0.95),
        samples: trips.length,
      },
      phoneSteps,
      relay,
      batches,
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

function roomRowsOf(mode: string, result: RoomResult | undefined): Row[] {
  return [
    {
      metric: `room ${mode}: examples/s (1 worker + 2 phones vs 1 worker)`,
      flowdeck: result ? result.withPhones.toFixed(0) : DASH,
      baseline: result ? result.alone.toFixed(0) : DASH,
      ratio: result ? `${(result.withPhones / result.alone).toFixed(2)}×` : DASH,
      target: "> 1×",
      status: status(result ? result.withPhones > result.alone : undefined),
    },
    {
      metric: `room ${mode}: … against 1 worker alone at the same batches a step`,
      flowdeck: result ? result.withPhones.toFixed(0) : DASH,
      baseline: result ? result.aloneAtPhonesBatches.toFixed(0) : DASH,
      ratio: result ? `${(result.withPhones / result.aloneAtPhonesBatches).toFixed(2)}×` : DASH,
      target: DASH,
      status: "info",
    },
    {
      metric: `room ${mode}: a step's round trip through the server, median / p95`,
      flowdeck: result
        ? `${msFine(result.roundTrip.median)} / ${msFine(result.roundTrip.p95)}`
        : DASH,
      // the same trip with Node clients and nothing training: what the relay itself costs
      baseline: result ? `${msFine(result.relay.median)} / ${msFine(result.relay.p95)}` : DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    },
    {
      metric: `room ${mode}: batches a step (this browser's worker, phones)`,
      flowdeck: result ? result.batches.join(", ") : DASH,
      baseline: DASH,
      ratio: DASH,
      target: DASH,
      status: "info",
    },
  ];
}
