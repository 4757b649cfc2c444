/**
 * The room on loopback: the room server started here over dist/, the test-only presenter page
 * (join.html?presenter-demo) and headless "phones" (phone viewport, touch) that join through the
 * join URL with a tap. Real training messages cross the server; one phone vanishes mid-run and
 * comes back, one misbehaves, one holds a wrong token; the presenter sees it all and the others
 * go on. Also: the join page's weight before the tap, a message's round trip, and both pages
 * without a room server.
 */
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomDemoHooks } from "../../src/room/presenter-demo.ts";
import { startRoomServer, type RoomServer } from "../../tools/room/server.ts";
import {
  collectProblems,
  launchBrowser,
  offOrigin,
  recordRequests,
  siteUrl,
  type PageProblems,
  type RequestLog,
} from "./browser.ts";

const PIXEL_UA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

type Snapshot = ReturnType<RoomDemoHooks["snapshot"]>;

interface Phone {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  requests: RequestLog;
}

let server: RoomServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function phone(url: string): Promise<Phone> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: PIXEL_UA,
  });
  contexts.push(context);
  const requests = recordRequests(context);
  // Remember the page's sockets, so that the test can make this phone misbehave later.
  await context.addInitScript(() => {
    const sockets: WebSocket[] = [];
    (window as unknown as { sockets: WebSocket[] }).sockets = sockets;
    const Original = WebSocket;
    window.WebSocket = class extends Original {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  const page = await context.newPage();
  const problems = collectProblems(page);
  await page.goto(url, { waitUntil: "load" });
  await page.locator(".fd-join").waitFor();
  return { context, page, problems, requests };
}

const phase = (p: Phone) => p.page.locator(".fd-join").getAttribute("data-phase");
const memberId = async (p: Phone) =>
  Number(await p.page.locator(".fd-join").getAttribute("data-member-id"));
const steps = async (p: Phone) =>
  Number(await p.page.locator(".fd-join").getAttribute("data-steps"));

async function waitForPhase(p: Phone, wanted: string, timeout = 30_000): Promise<void> {
  await p.page.waitForFunction(
    (w) => document.querySelector(".fd-join")?.getAttribute("data-phase") === w,
    wanted,
    { timeout, polling: 50 },
  );
}

function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => window.flowdeckRoomDemo!.snapshot());
}

async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const rosterOf = (s: Snapshot, id: number) => s.roster.find((e) => e.id === id);

beforeAll(async () => {
  server = await startRoomServer({ dist: path.resolve("dist"), port: 0, host: "127.0.0.1" });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe("a training room on loopback", () => {
  it("trains MNIST across three phones; survives one vanishing, one sending NaN and a wrong token", async () => {
    // --- the presenter's page: one worker of its own, the rest from the room ----------------------
    const presenterContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(presenterContext);
    const presenterRequests = recordRequests(presenterContext);
    const presenter = await presenterContext.newPage();
    const presenterProblems = collectProblems(presenter);
    await presenter.goto(`${server.localUrl}join.html?presenter-demo&local=1`, {
      waitUntil: "load",
    });
    await presenter.waitForFunction(() => window.flowdeckRoomDemo !== undefined, undefined, {
      polling: 50,
    });
    expect(await presenter.evaluate(() => window.flowdeckRoomDemo!.ready)).toBe(true);
    expect(await presenter.locator(".fd-qr-url").textContent()).toBe(server.joinUrl);
    expect(await presenter.locator(".fd-qr svg path").count()).toBe(1);

    // --- three phones join with a tap; one of them sends NaN gradients ----------------------------
    const nanUrl = server.joinUrl.replace("/join.html#", "/join.html?fault=nan#");
    const phones = [await phone(server.joinUrl), await phone(server.joinUrl), await phone(nanUrl)];
    const [steady, vanishing, hostile] = phones as [Phone, Phone, Phone];

    // What a phone loads before the tap: the join page's own JavaScript, gzipped as served.
    const before = await steady.page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => e.name.endsWith(".js"))
        .map((e) => ({ name: e.name, bytes: (e as PerformanceResourceTiming).encodedBodySize })),
    );
    const jsBeforeTap = before.reduce((sum, e) => sum + e.bytes, 0);
    console.log(
      `join page JavaScript before the tap: ${jsBeforeTap} bytes gzipped (${before.map((e) => `${path.basename(e.name)} ${e.bytes}`).join(", ")})`,
    );
    expect(jsBeforeTap).toBeGreaterThan(0);
    expect(jsBeforeTap).toBeLessThan(10 * 1024);
    expect(before.some((e) => /tf|tensorflow|member-worker/i.test(e.name))).toBe(false);
    expect(await phase(steady)).toBe("ready");

    for (const p of phones) await p.page.tap(".fd-join-action");
    for (const p of [steady, vanishing]) await waitForPhase(p, "joined");
    const [steadyId, vanishingId] = (await Promise.all([steady, vanishing].map(memberId))) as [
      number,
      number,
    ];

    // the two honest phones train with the presenter's worker; the NaN one is thrown out
    let s = await until(
      "two phones training and the NaN one rejected",
      () => snapshot(presenter),
      (v) =>
        v.rows.filter((r) => r.memberId !== null && r.state === "training" && r.steps > 5)
          .length === 2 && v.rows.some((r) => r.state === "rejected"),
      90_000,
    );
    const rejected = s.rows.find((r) => r.state === "rejected")!;
    expect(rejected.problem).toMatch(/NaN or infinite/);
    const hostileId = rejected.memberId!;
    expect([steadyId, vanishingId]).not.toContain(hostileId);
    await waitForPhase(hostile, "closed");
    expect(await hostile.page.locator(".fd-join-message").textContent()).toMatch(/NaN/);
    // the room's roster hears of the removal from the server, a moment after the deck decided
    s = await until(
      "the room's roster to mark the NaN phone rejected",
      () => snapshot(presenter),
      (v) => rosterOf(v, hostileId)?.state === "rejected",
      15_000,
    );
    expect(s.rows.find((r) => r.memberId === null)).toMatchObject({
      who: "this browser",
      kind: "worker",
      state: "training",
    });
    for (const id of [steadyId, vanishingId]) {
      const row = s.rows.find((r) => r.memberId === id)!;
      expect(row).toMatchObject({ who: "Android phone · Chrome", kind: "phone" });
      // the backend as the member names it, with its threads where that is known
      expect(row.backend).toMatch(/^(wasm|cpu)(, \d+ threads?)?$/);
      expect(row.speed).toBeGreaterThan(0);
    }
    for (const p of [steady, vanishing]) {
      expect(await p.page.locator('[data-fact="backend"]').textContent()).toMatch(
        /^TensorFlow\.js · (WebAssembly|CPU)( \(\d+ threads?\))?$/,
      );
      expect(await p.page.locator('[data-fact="shard"]').textContent()).toMatch(
        /^digits [\d,]+–[\d,]+$/,
      );
      expect(await p.page.locator('[data-fact="connection"]').textContent()).toMatch(
        /^In the room as #\d+$/,
      );
    }
    const shards = await Promise.all(
      [steady, vanishing].map((p) => p.page.locator('[data-fact="shard"]').textContent()),
    );
    expect(new Set(shards).size).toBe(2);
    const firstLoss = s.history[0]!.loss;

    // --- a phone vanishes without a word (like one locked in a pocket) ---------------
    // Its JavaScript stops dead (the debugger pauses it): no beats answered, no gradient sent.
    const cdp = await vanishing.context.newCDPSession(vanishing.page);
    await cdp.send("Debugger.enable");
    await cdp.send("Debugger.pause");
    const frozenAt = Date.now();
    s = await until(
      "the frozen phone to be dropped",
      () => snapshot(presenter),
      (v) => v.rows.find((r) => r.memberId === vanishingId)?.state === "gone",
    );
    const noticedMs = Date.now() - frozenAt;
    console.log(`a silent phone was dropped from training after ${noticedMs} ms`);
    expect(noticedMs).toBeLessThan(8000);
    expect(rosterOf(s, vanishingId)?.state).toBe("lost");
    const stepsAtDrop = s.step;
    const dropTime = Date.now();
    await until(
      "training to go on without it",
      () => snapshot(presenter),
      (v) => v.step > stepsAtDrop + 10,
    );
    console.log(`10 steps without it in ${Date.now() - dropTime} ms`);

    // it wakes up and comes back as itself, to the same rank
    await cdp.send("Debugger.resume");
    await cdp.send("Debugger.disable");
    s = await until(
      "the phone to come back and train",
      () => snapshot(presenter),
      (v) => v.rows.find((r) => r.memberId === vanishingId)?.state === "training",
    );
    expect(rosterOf(s, vanishingId)?.returns).toBe(1);
    await waitForPhase(vanishing, "joined");
    expect(await memberId(vanishing)).toBe(vanishingId);

    // --- devices with worse manners, from a page holding the room's token ------------------------
    const verdicts = await steady.page.evaluate(
      async ({ url }) => {
        const attacks: Record<string, (s: WebSocket) => void> = {
          oversize: (s) => s.send(new Uint8Array(5 * 1024 * 1024)),
          flood: (s) => {
            for (let i = 0; i < 1000; i++) s.send('{"k":"beat"}');
          },
          garbage: (s) => s.send(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])),
          wrongType: (s) =>
            s.send(
              JSON.stringify({
                k: "device",
                device: { name: 5, kind: "phone", backend: "js", cores: 1 },
              }),
            ),
        };
        const results: Record<string, { code: number; reason: string }> = {};
        for (const [name, attack] of Object.entries(attacks)) {
          results[name] = await new Promise((resolve) => {
            const socket = new WebSocket(url);
            socket.binaryType = "arraybuffer";
            socket.onopen = () =>
              socket.send(
                JSON.stringify({
                  k: "hello",
                  v: 1,
                  device: {
                    name: `<b>Hostile</b> ${name}`,
                    kind: "phone",
                    backend: "js",
                    cores: 1,
                  },
                }),
              );
            socket.onmessage = (event) => {
              if (typeof event.data === "string" && JSON.parse(event.data).k === "welcome")
                attack(socket);
            };
            socket.onclose = (event) => resolve({ code: event.code, reason: event.reason });
          });
        }
        return results;
      },
      { url: `ws://127.0.0.1:${server.port}/room/ws?role=member&token=${server.joinToken}` },
    );
    expect(verdicts).toEqual({
      oversize: { code: 1009, reason: "" },
      flood: { code: 4003, reason: "flooding: over 200 messages a second" },
      garbage: { code: 4002, reason: "binary frame is not a room frame" },
      wrongType: { code: 4002, reason: "device.device.name: expected a string, got a number" },
    });
    await until(
      "the roster to mark all five",
      () => snapshot(presenter),
      (v) => v.roster.filter((e) => e.state === "rejected").length === 5,
    );
    // the roster is text: what a device calls itself never becomes markup
    expect(await presenter.locator(".fd-roster b").count()).toBe(0);
    expect(
      await presenter.locator(".fd-roster-name", { hasText: "<b>Hostile</b> flood" }).count(),
    ).toBe(1);

    // --- a phone with a wrong token is turned away, and told why -----------------------------------
    const wrongUrl = server.joinUrl.replace(/#t=.*/, "#t=AAAAAAAAAAAAAAAAAAAAAA");
    const outsider = await phone(wrongUrl);
    await outsider.page.tap(".fd-join-action");
    await waitForPhase(outsider, "closed");
    expect(await outsider.page.locator(".fd-join-message").textContent()).toMatch(
      /not for the room that is open now/,
    );
    s = await until(
      "the refusal on the roster",
      () => snapshot(presenter),
      (v) => v.roster.some((e) => e.state === "refused" && e.reason === "wrong join token"),
    );

    // --- the others went on: the loss fell, the parameters are finite -------------------------------
    const stepNow = s.step;
    s = await until(
      "more steps",
      () => snapshot(presenter),
      (v) => v.step > stepNow + 20,
    );
    const recent = s.history.slice(-20).reduce((sum, r) => sum + r.loss, 0) / 20;
    expect(s.paramsFinite).toBe(true);
    expect(recent).toBeLessThan(firstLoss * 0.7);
    expect(
      s.rows
        .filter((r) => r.state === "training")
        .map((r) => r.memberId)
        .sort(),
    ).toEqual([null, steadyId, vanishingId].sort());
    const steadySteps = await steps(steady);
    await until(
      "the steady phone to keep computing",
      () => steps(steady),
      (n) => n > steadySteps + 5,
    );
    console.log(
      `loss ${firstLoss.toPrecision(3)} → ${recent.toPrecision(3)} (mean of the last 20) over ${s.step} steps, ${s.examples} examples`,
    );
    // the joins, departures and the rejection are marked on the loss chart
    expect(
      await presenter.locator('.fd-cluster-chart [data-event="joined"]').count(),
    ).toBeGreaterThanOrEqual(3);
    expect(
      await presenter.locator('.fd-cluster-chart [data-event="left"]').count(),
    ).toBeGreaterThanOrEqual(1);
    expect(await presenter.locator('.fd-cluster-chart [data-event="rejected"]').count()).toBe(1);
    expect(await presenter.locator('.fd-cluster-members tr[data-state="rejected"]').count()).toBe(
      1,
    );

    // --- a tab closed: the room hears it at once ----------------------------------------------------
    await vanishing.page.close({ runBeforeUnload: true });
    s = await until(
      "the closed tab to leave",
      () => snapshot(presenter),
      (v) => rosterOf(v, vanishingId)?.state !== "connected",
      5000,
    );
    expect(rosterOf(s, vanishingId)).toMatchObject({ state: "left", reason: "left: tab closed" });

    // nothing went anywhere but the room server; no page broke
    for (const log of [presenterRequests, ...phones.map((p) => p.requests), outsider.requests]) {
      expect(offOrigin(log.urls, new URL(server.localUrl).origin)).toEqual([]);
      expect(log.failures).toEqual([]);
    }
    for (const problems of [presenterProblems, steady.problems, outsider.problems]) {
      expect(problems.pageErrors).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    }
  });
});

describe("the cluster slide's switches", () => {
  it("switches to asynchronous training and back, with staleness on the roster; weights and gradients cross at 16 bits, then 32", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const presenter = await context.newPage();
    const problems = collectProblems(presenter);
    await presenter.goto(`${server.localUrl}join.html?presenter-demo&local=1`, {
      waitUntil: "load",
    });
    await presenter.waitForFunction(() => window.flowdeckRoomDemo !== undefined, undefined, {
      polling: 50,
    });
    expect(await presenter.evaluate(() => window.flowdeckRoomDemo!.ready)).toBe(true);
    expect(await presenter.locator(".fd-cluster-mode").inputValue()).toBe("sync");
    expect(await presenter.locator(".fd-cluster-weights").inputValue()).toBe("16");
    const device = await phone(server.joinUrl);
    await device.page.tap(".fd-join-action");
    await waitForPhase(device, "joined");
    const id = await memberId(device);
    const row = (v: Snapshot) => v.rows.find((r) => r.memberId === id);

    // synchronous, 16-bit weights: half the bytes of float32 reach the phone, and it trains
    let s = await until(
      "the phone training on 16-bit weights",
      () => snapshot(presenter),
      (v) => (row(v)?.steps ?? 0) > 5 && v.weights.steps > 5,
      90_000,
    );
    const firstLoss = s.history[0]!.loss;
    expect(s.mode).toBe("sync");
    expect(s.weights.bits).toBe(16);
    expect(s.weights.lastBytes).toBeLessThan(s.weights.lastFloatBytes * 0.51);
    expect(s.history.every((r) => r.staleness === 0)).toBe(true);
    expect(s.weights.gradientBits).toBe(16);
    expect(s.weights.lastGradientBits).toBe(16);
    expect(s.weights.lastGradientBytes).toBeLessThan(s.weights.lastFloatBytes * 0.51);
    expect(await device.page.locator('[data-fact="weights"]').textContent()).toBe(
      "weights in at 16 bits · gradients out at 16 bits",
    );
    expect(await presenter.locator(".fd-cluster-traffic").textContent()).toMatch(
      /^a device's step: 101\.8 kB down, 101\.8 kB up \(float32: 203\.6 kB each\)/,
    );

    // asynchronous: no barrier; a gradient computed on weights some updates old says so
    await presenter.selectOption(".fd-cluster-mode", "async");
    const switched = s.step;
    await until(
      "stale gradients on the roster",
      () => snapshot(presenter),
      (v) =>
        v.mode === "async" &&
        v.history.slice(switched).some((r) => r.staleness > 0) &&
        v.rows.some((r) => r.staleness > 0),
    );
    // … and the members table shows it
    await presenter.waitForFunction(
      () =>
        [...document.querySelectorAll(".fd-cluster-members tbody td:nth-child(7)")].some(
          (td) => Number(td.textContent) > 0,
        ),
      undefined,
      { polling: 50, timeout: 10_000 },
    );
    expect(await presenter.locator(".fd-cluster-status").textContent()).toMatch(
      /staleness \d+\.\d on average/,
    );
    expect(await presenter.locator('.fd-cluster-chart [data-event="mode"]').count()).toBe(1);

    // float32 both ways from here: the phone says so, and the bytes double
    await presenter.selectOption(".fd-cluster-weights", "32");
    await device.page.waitForFunction(
      () =>
        document.querySelector('[data-fact="weights"]')?.textContent ===
        "weights in at 32 bits (float32) · gradients out at 32 bits (float32)",
      undefined,
      { polling: 50, timeout: 30_000 },
    );
    s = await until(
      "float32 gradients from the phone",
      () => snapshot(presenter),
      (v) => v.weights.lastGradientBits === 32,
    );
    expect(s.weights.lastBytes).toBe(s.weights.lastFloatBytes);
    expect(s.weights.lastGradientBytes).toBe(s.weights.lastFloatBytes);

    // and back to synchronous: no staleness
    await presenter.selectOption(".fd-cluster-mode", "sync");
    const back = s.step;
    s = await until(
      "synchronous steps again",
      () => snapshot(presenter),
      (v) => v.mode === "sync" && v.step > back + 10 && (row(v)?.state ?? "") === "training",
    );
    expect(s.rows.every((r) => r.staleness === 0)).toBe(true);
    expect(await presenter.locator('.fd-cluster-chart [data-event="mode"]').count()).toBe(2);
    const recent = s.history.slice(-10).reduce((sum, r) => sum + r.loss, 0) / 10;
    console.log(
      `sync → async → sync with a phone: loss ${firstLoss.toPrecision(3)} → ${recent.toPrecision(3)} over ${s.step} steps; largest staleness ${Math.max(...s.history.map((r) => r.staleness))}`,
    );
    expect(recent).toBeLessThan(firstLoss * 0.7);
    expect(s.paramsFinite).toBe(true);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(device.problems.pageErrors).toEqual([]);
    await device.page.close({ runBeforeUnload: true });
    await presenter.close();
  });
});

describe("without a room server", () => {
  it("the join page says no room server answers; the presenter page says how to start one", async () => {
    // the built site from a plain static server: no room behind it
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(siteUrl("/join.html#t=AbCdEfGhIjKlMnOpQrSt_-"), { waitUntil: "load" });
    await page.tap(".fd-join-action");
    await page.waitForFunction(
      () => document.querySelector(".fd-join")?.getAttribute("data-phase") === "closed",
      undefined,
      { polling: 50 },
    );
    expect(await page.locator(".fd-join-message").textContent()).toMatch(
      /^No room server answered at 127\.0\.0\.1:\d+\. The presenter starts one with `npm run room`/,
    );
    expect(problems.pageErrors).toEqual([]);

    await page.goto(siteUrl("/join.html"), { waitUntil: "load" });
    expect(await page.locator(".fd-join").getAttribute("data-phase")).toBe("invalid");
    expect(await page.locator(".fd-join-message").textContent()).toMatch(/opens from the QR code/);

    await page.goto(siteUrl("/join.html?presenter-demo&local=1"), { waitUntil: "load" });
    await page.waitForFunction(() => window.flowdeckRoomDemo !== undefined, undefined, {
      polling: 50,
    });
    expect(await page.evaluate(() => window.flowdeckRoomDemo!.ready)).toBe(false);
    const notice = await page.locator(".fd-room-absent").textContent();
    expect(notice).toMatch(/No room server is running\./);
    expect(notice).toMatch(/run npm run room on this machine/);
    expect(notice).toMatch(/this browser's own workers/);
    // … and it does: the presenter page's own worker trains alone
    await page.waitForFunction(
      () => (window.flowdeckRoomDemo!.snapshot().step ?? 0) > 5,
      undefined,
      { polling: 100, timeout: 60_000 },
    );
  });
});
