/**
 * Shared machinery for the browser tests: headless Chromium (never downloaded: Debian's
 * /usr/bin/chromium), pages with their errors and requests recorded, and the `window.flowdeck`
 * hooks that every page of the built site exposes (see DESIGN.md, "How tests and tools find things").
 */
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type Request,
} from "playwright-core";
import { expect, inject } from "vitest";
import type { FlowdeckHooks } from "../../src/pages/hooks.ts";
import type { CellStatus } from "../../src/runtime/cell-state.ts";

import { CHROMIUM, CHROMIUM_ARGS, chromiumPath } from "../../tools/chromium.ts";

export type { CellStatus, FlowdeckHooks };

export { CHROMIUM };

export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** The origin of the static server that global-setup started over dist/. */
export function baseUrl(): string {
  return inject("baseUrl") ?? process.env.FLOWDECK_BASE_URL;
}

/** An absolute URL on the test server, e.g. `siteUrl("/notebook.html?n=selftest")`. */
export function siteUrl(pathAndQuery = "/"): string {
  return new URL(pathAndQuery, baseUrl()).href;
}

export interface PageProblems {
  /** `console.error` messages (and failed resource loads reported on the console) */
  consoleErrors: string[];
  /** uncaught exceptions and unhandled rejections */
  pageErrors: string[];
}

export function collectProblems(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [] };
  page.on("console", (message) => {
    if (message.type() === "error") {
      const { url } = message.location();
      problems.consoleErrors.push(`${message.text()}${url ? ` (${url})` : ""}`);
    }
  });
  page.on("pageerror", (error) => problems.pageErrors.push(error.stack ?? error.message));
  return problems;
}

export interface RequestLog {
  /** every URL requested by any page, frame, popup or worker of the context */
  urls: string[];
  /** requests that failed at the network level or got an HTTP error status */
  failures: string[];
}

/** A navigation away from a page cancels its pending loads: not a network failure. */
const CANCELLED = "net::ERR_ABORTED";

export function recordRequests(context: BrowserContext): RequestLog {
  const log: RequestLog = { urls: [], failures: [] };
  context.on("request", (request: Request) => log.urls.push(request.url()));
  context.on("requestfailed", (request: Request) => {
    const reason = request.failure()?.errorText ?? "failed";
    if (reason !== CANCELLED) log.failures.push(`${reason}: ${request.url()}`);
  });
  context.on("response", (response) => {
    if (response.status() >= 400) log.failures.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return log;
}

/** URLs that are neither on `origin` nor self-contained (data:, blob:, about:). */
export function offOrigin(urls: readonly string[], origin: string): string[] {
  return urls.filter((url) => {
    if (/^(data|blob|about):/.test(url)) return false;
    return new URL(url).origin !== origin;
  });
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  requests: RequestLog;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** extra Chromium switches, e.g. `--disable-webgl` */
  args?: readonly string[];
  viewport?: { width: number; height: number };
}

/** A fresh Chromium with one page whose problems and requests are recorded. */
export async function openSession(options: SessionOptions = {}): Promise<Session> {
  const browser = await launchBrowser(options.args);
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const requests = recordRequests(context);
  const page = await context.newPage();
  const problems = collectProblems(page);
  return { browser, context, page, problems, requests, close: () => browser.close() };
}

const WAIT_FOR_HOOKS_MS = 60_000;
const WAIT_FOR_MOUNT_MS = 30_000;
/** Poll on a timer: `requestAnimationFrame` polling stalls while a page renders heavily. */
const POLL_MS = 50;

/** Waits until the page's scripts installed `window.flowdeck` (or it showed a fatal error). */
export async function waitForHooks(page: Page): Promise<void> {
  try {
    await page.waitForFunction(
      () => "flowdeck" in window || document.querySelector(".fd-fatal") !== null,
      undefined,
      { timeout: WAIT_FOR_HOOKS_MS, polling: POLL_MS },
    );
  } catch (error) {
    // Say what the page did load: a missing chunk (e.g. dist/ rebuilt meanwhile) shows here.
    const loaded = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((entry) => {
          const status = (entry as PerformanceResourceTiming).responseStatus;
          return `${status || "?"} ${entry.name}`;
        })
        .join("\n    "),
    );
    throw new Error(`${page.url()} never installed window.flowdeck; it loaded:\n    ${loaded}`, {
      cause: error,
    });
  }
  const fatal = await page.locator(".fd-fatal").allTextContents();
  if (fatal.length) throw new Error(`${page.url()} failed to start: ${fatal.join("; ")}`);
}

/** Awaits `flowdeck.ready` then `flowdeck.settled()`: no visible cell is running or pending. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await window.flowdeck.ready;
    await window.flowdeck.settled();
  });
}

/**
 * Waits until the page has drawn `count` more frames: for assertions that something does not
 * happen (a paused generator yields at most one value per frame), an event to wait for rather
 * than a fixed time, which a slow machine would make too short.
 */
export async function framesPass(page: Page, count: number): Promise<void> {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        let left = n;
        const next = () => (--left <= 0 ? resolve() : requestAnimationFrame(next));
        requestAnimationFrame(next);
      }),
    count,
  );
}

export async function gotoAndSettle(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: "load" });
  await waitForHooks(page);
  await settle(page);
}

export function cells(page: Page): Promise<CellStatus[]> {
  return page.evaluate(() => window.flowdeck.cells());
}

export function backend(page: Page): Promise<string> {
  return page.evaluate(() => window.flowdeck.backend());
}

export function renderer(page: Page): Promise<string> {
  return page.evaluate(() => window.flowdeck.renderer());
}

export function memory(page: Page): Promise<{ numTensors: number; numBytes: number }> {
  return page.evaluate(() => window.flowdeck.memory());
}

/** What the DOM shows for one mounted cell. */
export interface CellSnapshot {
  key: string;
  state: string;
  /** an inline `${…}` cell in prose: it has no code block */
  inline: boolean;
  /** the text of the cell's `role=alert` element, "" when none is shown */
  alert: string;
  /** the cell's code is visible: rendered (`.fd-code`), or open in its editor (an exercise) */
  codeVisible: boolean;
  /** the text of its output */
  output: string;
}

export function domCells(page: Page, within = "body"): Promise<CellSnapshot[]> {
  return page.evaluate((selector) => {
    const root = document.querySelector(selector) ?? document.body;
    return Array.from(root.querySelectorAll<HTMLElement>("[data-cell]"), (element) => {
      const alert = Array.from(element.querySelectorAll<HTMLElement>("[role=alert]"))
        .filter((a) => !a.hidden)
        .map((a) => a.textContent ?? "")
        .join(" ");
      const code = element.querySelector<HTMLElement>(".fd-code");
      const editor = element.querySelector<HTMLElement>(".fd-editor .cm-content");
      return {
        key: element.dataset.cell ?? "",
        state: element.dataset.state ?? "",
        inline: element.classList.contains("fd-cell-inline"),
        alert,
        codeVisible:
          (!!code && !code.hidden && code.checkVisibility()) ||
          (!!editor && editor.checkVisibility() && (editor.textContent ?? "").trim() !== ""),
        output: element.querySelector<HTMLElement>(".fd-output")?.textContent ?? "",
      };
    });
  }, within);
}

export async function domCell(page: Page, key: string): Promise<CellSnapshot> {
  const found = (await domCells(page)).find((cell) => cell.key === key);
  if (!found) throw new Error(`No [data-cell="${key}"] on ${page.url()}`);
  return found;
}

/**
 * The checks of exercises not yet solved: they fail by design, saying "Not yet: …", until a
 * reader solves the exercise.
 */
export function unsolvedChecks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>("[data-check][data-state=error]"))
      .filter((cell) => /^Not yet: /.test(cell.querySelector("[role=alert]")?.textContent ?? ""))
      .map((cell) => cell.dataset.cell ?? ""),
  );
}

/** Every cell in error, by the hooks and by the DOM, as "id: message" lines. */
export async function cellErrors(page: Page, expected: readonly string[] = []): Promise<string[]> {
  const allowed = [...expected, ...(await unsolvedChecks(page))];
  const fromHooks = (await cells(page))
    .filter((c) => c.state === "error" && !allowed.includes(`${c.notebook}/${c.id}`))
    .map((c) => `${c.notebook}/${c.id}: ${c.error ?? "(no message)"}`);
  const fromDom = (await domCells(page))
    .filter((c) => c.state === "error" && !allowed.includes(c.key))
    .map((c) => `[data-cell="${c.key}"]: ${c.alert || "(no alert shown)"}`);
  return [...new Set([...fromHooks, ...fromDom])];
}

/** Fails, listing each cell in error with its message, so that the failure explains itself. */
export async function expectNoCellErrors(
  page: Page,
  where: string,
  allowed: readonly string[] = [],
): Promise<void> {
  const errors = await cellErrors(page, allowed);
  expect(errors, `cells in error ${where}:\n  ${errors.join("\n  ")}`).toEqual([]);
}

/** Fails unless every mounted cell (hooks and DOM) is ready, naming those that are not. */
export async function expectAllReady(
  page: Page,
  where: string,
  except: readonly string[] = [],
): Promise<void> {
  const notReady = [
    ...(await cells(page))
      .filter((c) => c.state !== "ready" && !except.includes(`${c.notebook}/${c.id}`))
      .map((c) => `${c.notebook}/${c.id} is ${c.state}${c.error ? `: ${c.error}` : ""}`),
    ...(await domCells(page))
      .filter((c) => c.state !== "ready" && !except.includes(c.key))
      .map((c) => `[data-cell="${c.key}"] is ${c.state}${c.alert ? `: ${c.alert}` : ""}`),
  ];
  expect(notReady, `cells not ready ${where}:\n  ${notReady.join("\n  ")}`).toEqual([]);
}

/**
 * Scrolls each cell slot into view in turn; waits until the slot holds its cell (slots mount
 * when an IntersectionObserver reports them, which `settled()` cannot know about in advance),
 * then settles. Fails naming the slot that never mounted.
 */
export async function visitEverySlot(page: Page): Promise<number> {
  const slots = page.locator("[data-slot]");
  const count = await slots.count();
  for (let i = 0; i < count; i++) {
    const slot = slots.nth(i);
    await slot.evaluate((element) => element.scrollIntoView({ block: "center" }));
    try {
      await slot.locator("[data-cell]").first().waitFor({
        state: "attached",
        timeout: WAIT_FOR_MOUNT_MS,
      });
    } catch (error) {
      const key = await slot.getAttribute("data-slot");
      throw new Error(`[data-slot="${key}"] scrolled into view never mounted its cell`, {
        cause: error,
      });
    }
    await settle(page);
  }
  return count;
}

/** Slots inside `within` that hold no cell (the cell was never mounted there). */
export function emptySlots(page: Page, within: string): Promise<string[]> {
  return page.evaluate(
    (selector) =>
      Array.from(document.querySelectorAll(`${selector} [data-slot]`))
        .filter((slot) => !slot.querySelector("[data-cell]"))
        .map((slot) => slot.getAttribute("data-slot") ?? "?"),
    within,
  );
}
