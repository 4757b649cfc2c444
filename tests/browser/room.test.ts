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
  it("trains across three phones; survives one vanishing, one misbehaving and a wrong token", async () => {
    // --- the presenter's page -----------------------------------------------------------------
    const presenterContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(presenterContext);
    const presenterRequests = recordRequests(presenterContext);
    const presenter = await presenterContext.newPage();
    const presenterProblems = collectProblems(presenter);
    await presenter.goto(`${server.localUrl}join.html?presenter-demo`, { waitUntil: "load" });
    await presenter.waitForFunction(() => window.flowdeckRoomDemo !== undefined, undefined, {
      polling: 50,
    });
    expect(await presenter.evaluate(() => window.flowdeckRoomDemo!.ready)).toBe(true);
    expect(await presenter.locator(".fd-qr-url").textContent()).toBe(server.joinUrl);
    expect(await presenter.locator(".fd-qr svg path").count()).toBe(1);

    // --- three phones join with a tap ------------------------------------------------------------
    const phones = [
      await phone(server.joinUrl),
      await phone(server.joinUrl),
      await phone(server.joinUrl),
    ];
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
    expect(before.some((e) => /tf|tensorflow/i.test(e.name))).toBe(false);
    expect(await phase(steady)).toBe("ready");

    for (const p of phones) await p.page.tap(".fd-join-action");
    for (const p of phones) await waitForPhase(p, "joined");
    const [steadyId, vanishingId, hostileId] = (await Promise.all(phones.map(memberId))) as [
      number,
      number,
      number,
    ];
    expect(new Set([steadyId, vanishingId, hostileId]).size).toBe(3);

    // the presenter's roster shows the three, and every phone computes on its own shard
    let s = await until(
      "three members training",
      () => snapshot(presenter),
      (v) => v.members.length === 3 && v.history.length > 20,
    );
    expect(s.roster.filter((e) => e.state === "connected").map((e) => e.device?.name)).toEqual([
      "Android phone · Chrome",
      "Android phone · Chrome",
      "Android phone · Chrome",
    ]);
    for (const p of phones) {
      await until(
        "steps on the phone",
        () => steps(p),
        (n) => n > 5,
      );
      expect(await p.page.locator('[data-fact="shard"]').textContent()).toMatch(
        /^\d of 8 · 256 examples$/,
      );
      expect(await p.page.locator('[data-fact="backend"]').textContent()).toBe(
        "JavaScript (plain typed arrays)",
      );
      expect(await p.page.locator('[data-fact="connection"]').textContent()).toMatch(
        /^In the room as #\d+$/,
      );
    }
    const shards = await Promise.all(
      phones.map((p) => p.page.locator('[data-fact="shard"]').textContent()),
    );
    expect(new Set(shards).size).toBe(3);
    const firstLoss = s.history[0]!.loss;
    expect(s.history.at(-1)!.contributors).toBe(3);

    // --- a phone vanishes without a word (like one locked in a pocket) ---------------
    // Its JavaScript stops dead (the debugger pauses it): no beats answered, no goodbye sent.
    const cdp = await vanishing.context.newCDPSession(vanishing.page);
    await cdp.send("Debugger.enable");
    await cdp.send("Debugger.pause");
    const frozenAt = Date.now();
    s = await until(
      "the frozen phone to be dropped",
      () => snapshot(presenter),
      (v) => rosterOf(v, vanishingId)?.state === "lost",
    );
    const noticedMs = Date.now() - frozenAt;
    console.log(`a silent phone was dropped after ${noticedMs} ms`);
    expect(noticedMs).toBeLessThan(7000);
    expect(rosterOf(s, vanishingId)?.reason).toMatch(/^timed out: nothing heard for 3\.5 s$/);
    const stepsAtDrop = s.step;
    s = await until(
      "training to go on without it",
      () => snapshot(presenter),
      (v) => v.step > stepsAtDrop + 10,
    );
    expect(s.history.at(-1)!.contributors).toBe(2);

    // it wakes up and comes back as itself
    await cdp.send("Debugger.resume");
    await cdp.send("Debugger.disable");
    s = await until(
      "the phone to come back",
      () => snapshot(presenter),
      (v) => rosterOf(v, vanishingId)?.state === "connected",
    );
    expect(rosterOf(s, vanishingId)?.returns).toBe(1);
    await waitForPhase(vanishing, "joined");
    expect(await memberId(vanishing)).toBe(vanishingId);

    // --- a phone misbehaves: its own connection sends malformed JSON -------------------------------
    await hostile.page.evaluate(() =>
      (window as unknown as { sockets: WebSocket[] }).sockets.at(-1)!.send("{this is not json"),
    );
    await waitForPhase(hostile, "closed");
    expect(await hostile.page.locator(".fd-join-message").textContent()).toBe(
      "text message is not JSON",
    );
    s = await until(
      "the roster to mark it",
      () => snapshot(presenter),
      (v) => rosterOf(v, hostileId)?.state === "rejected",
    );
    expect(rosterOf(s, hostileId)?.reason).toBe("text message is not JSON");

    // … and, from the same page with the room's token, devices with worse manners
    const verdicts = await hostile.page.evaluate(
      async ({ url }) => {
        const frame = (header: object, body: Uint8Array) => {
          const json = new TextEncoder().encode(JSON.stringify(header));
          const start = Math.ceil((12 + json.length) / 8) * 8;
          const bytes = new Uint8Array(start + body.length);
          const view = new DataView(bytes.buffer);
          view.setUint8(0, 0xfd);
          view.setUint8(1, 1);
          view.setUint8(2, 1);
          view.setUint32(8, json.length, true);
          bytes.set(json, 12);
          bytes.set(body, start);
          return bytes;
        };
        const nanGradient = frame(
          {
            value: {
              type: "gradient",
              step: 1,
              loss: 1,
              examples: 256,
              ms: 1,
              bits: 32,
              values: null,
            },
            arrays: [{ at: ["values"], type: "f32", offset: 0, length: 9 }],
            numbers: [],
          },
          new Uint8Array(new Float32Array(9).fill(NaN).buffer),
        );
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
          nan: (s) => s.send(nanGradient),
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
                  device: { name: `Hostile ${name}`, kind: "phone", backend: "js", cores: 1 },
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
      nan: { code: 4005, reason: "removed by the presenter: gradient has NaN or infinite values" },
    });
    s = await until(
      "the roster to mark all five",
      () => snapshot(presenter),
      (v) => v.roster.filter((e) => e.state === "rejected").length === 6,
    );
    const marked = Object.fromEntries(
      s.roster.filter((e) => e.state === "rejected").map((e) => [e.device?.name, e.reason]),
    );
    expect(marked).toMatchObject({
      "Hostile oversize": "message over the 4194304-byte limit",
      "Hostile flood": "flooding: over 200 messages a second",
      "Hostile garbage": "binary frame is not a room frame",
      "Hostile wrongType": "device.device.name: expected a string, got a number",
      "Hostile nan": "removed by the presenter: gradient has NaN or infinite values",
    });
    // the roster is text: what a device calls itself never becomes markup
    expect(await presenter.locator(".fd-roster tbody tr").count()).toBeGreaterThanOrEqual(8);
    expect(await presenter.locator(".fd-roster-reason", { hasText: "flooding" }).count()).toBe(1);

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
      (v) => v.step > stepNow + 10,
    );
    expect(s.members.map((m) => m.id).sort()).toEqual([steadyId, vanishingId].sort());
    expect(s.history.at(-1)!.contributors).toBe(2);
    expect(s.params.every(Number.isFinite)).toBe(true);
    expect(s.loss).toBeLessThan(firstLoss / 10);
    const steadySteps = await steps(steady);
    await until(
      "the steady phone to keep computing",
      () => steps(steady),
      (n) => n > steadySteps + 5,
    );
    console.log(`loss ${firstLoss.toPrecision(3)} → ${s.loss.toPrecision(3)} over ${s.step} steps`);
    // the joins and departures are marked on the loss chart
    expect(await presenter.locator('svg [data-event="joined"]').count()).toBeGreaterThanOrEqual(3);
    expect(await presenter.locator('svg [data-event="left"]').count()).toBeGreaterThanOrEqual(1);

    // --- one message's round trip through the server -----------------------------------------------
    const trips = await presenter.evaluate(
      (id) => window.flowdeckRoomDemo!.roundTrips(id, 300),
      steadyId,
    );
    console.log(
      `round trip presenter → server → phone → server → presenter, 300 pings: median ${trips.median.toFixed(2)} ms, p95 ${trips.p95.toFixed(2)} ms`,
    );
    expect(trips.samples).toHaveLength(300);
    expect(trips.median).toBeLessThan(50);

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

    await page.goto(siteUrl("/join.html?presenter-demo"), { waitUntil: "load" });
    await page.waitForFunction(() => window.flowdeckRoomDemo !== undefined, undefined, {
      polling: 50,
    });
    expect(await page.evaluate(() => window.flowdeckRoomDemo!.ready)).toBe(false);
    const notice = await page.locator(".fd-room-absent").textContent();
    expect(notice).toMatch(/No room server is running\./);
    expect(notice).toMatch(/run npm run room on this machine/);
    expect(notice).toMatch(/this browser's own workers/);
  });
});
