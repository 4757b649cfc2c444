import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backend,
  domCell,
  expectAllReady,
  gotoAndSettle,
  memory,
  openSession,
  settle,
  siteUrl,
  visitEverySlot,
  type Session,
} from "./browser.ts";
import { reachTensorFlow } from "./deck.ts";
import { SELFTEST_FAILING } from "./site.ts";

const SELFTEST = "/notebook.html?n=selftest";
const WORKING = ["selftest/ok", "selftest/independent", "selftest/counter", "selftest/leak-check"];

async function expectWorkingCellsReady(page: Page, where: string): Promise<void> {
  for (const key of WORKING) {
    const cell = await domCell(page, key);
    expect(cell.state, `${key} ${where}: ${cell.alert}`).toBe("ready");
  }
  await expectAllReady(page, where, SELFTEST_FAILING);
}

function indicatorBackend(page: Page): Promise<string | null> {
  return page.locator(".fd-indicator").getAttribute("data-backend");
}

describe("faults in cells (notebook.html?n=selftest)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
    await gotoAndSettle(session.page, siteUrl(SELFTEST));
    await visitEverySlot(session.page);
  });
  afterAll(() => session?.close());

  it("a syntax error names the cell, line 2 and a column", async () => {
    const cell = await domCell(session.page, "selftest/syntax");
    expect(cell.state).toBe("error");
    expect(cell.alert).toContain("selftest/syntax");
    expect(cell.alert).toMatch(/line 2\b/);
    expect(cell.alert).toMatch(/column \d+/);
  });

  it("a cell that throws or rejects shows its own message", async () => {
    const thrown = await domCell(session.page, "selftest/throws");
    expect(thrown).toMatchObject({ state: "error" });
    expect(thrown.alert).toContain("selftest/throws");
    expect(thrown.alert).toContain("selftest: thrown on purpose");
    const rejected = await domCell(session.page, "selftest/rejects");
    expect(rejected).toMatchObject({ state: "error" });
    expect(rejected.alert).toContain("selftest: rejected on purpose");
  });

  it("a dependent cell says which input failed and in which cell", async () => {
    const cell = await domCell(session.page, "selftest/dependent");
    expect(cell.state).toBe("error");
    expect(cell.alert).toContain("fromThrows");
    expect(cell.alert).toContain("selftest/throws");
  });

  it("an endless loop is stopped after about 2 s, naming the cell, and the page answers", async () => {
    const { page } = session;
    const cell = await domCell(page, "selftest/runaway");
    expect(cell.state).toBe("error");
    expect(cell.alert).toContain("selftest/runaway");
    expect(cell.alert).toMatch(/more than 2 s/);
    // The page still answers promptly: a round trip through its event loop.
    const started = Date.now();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("a huge allocation fails with a clear message and TensorFlow.js keeps working", async () => {
    const huge = await domCell(session.page, "selftest/huge");
    expect(huge.state).toBe("error");
    expect(huge.alert).toContain("selftest/huge");
    expect(huge.alert).toMatch(/too large to allocate/);
    const after = await domCell(session.page, "selftest/after-huge");
    expect(after.state).toBe("ready");
    expect(after.output).toContain("2 × 3 = 6");
  });

  it("the other cells and the navigation keep working", async () => {
    const { page, problems } = session;
    await expectWorkingCellsReady(page, "next to failing cells");
    expect((await domCell(page, "selftest/ok")).output).toContain("= 10");
    expect((await domCell(page, "selftest/independent")).output).toContain("20");
    const links = page.locator("nav.fd-nav a");
    expect(await links.count()).toBeGreaterThanOrEqual(3);
    const target = links.filter({ hasNot: page.locator("[aria-current]") }).last();
    const href = await target.getAttribute("href");
    expect(href).toBeTruthy();
    await Promise.all([page.waitForURL(new URL(href ?? "", page.url()).href), target.click()]);
    await settle(page);
    expect(problems.pageErrors).toEqual([]);
  });
});

describe("WebGL context lost mid-run", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("moves to the next backend, re-runs the tf cells and says so", async () => {
    const { page } = session;
    // WebGL is not the default on SwiftShader (a software renderer): force it.
    await gotoAndSettle(page, siteUrl(`${SELFTEST}&backend=webgl`));
    await visitEverySlot(page);
    expect(await backend(page)).toBe("webgl");
    expect(await indicatorBackend(page)).toBe("webgl");
    const before = (await memory(page)).numTensors;

    expect(await page.evaluate(() => window.flowdeck.faults.loseWebGLContext())).toBe(true);
    await page.waitForFunction(
      () => !["webgl", ""].includes(window.flowdeck.backend()),
      undefined,
      {
        timeout: 30_000,
      },
    );
    await visitEverySlot(page);
    const now = await backend(page);
    expect(["wasm", "cpu"]).toContain(now);
    await expect.poll(() => indicatorBackend(page)).toBe(now);
    await expectWorkingCellsReady(page, "after the WebGL context was lost");
    // `ok` names the backend it ran on: it re-ran on the new one.
    expect((await domCell(page, "selftest/ok")).output).toContain(now);
    // The tensors of the lost context were released, not leaked.
    expect((await memory(page)).numTensors).toBeLessThanOrEqual(before);
  });
});

async function expectDeckOnWasm(session: Session): Promise<void> {
  const { page, problems } = session;
  await gotoAndSettle(page, siteUrl("/"));
  const chosen = await reachTensorFlow(page);
  expect(["wasm", "cpu"]).toContain(chosen);
  await expect.poll(() => indicatorBackend(page)).toBe(chosen);
  // Chosen up front, not as a fallback from a WebGL that failed, and the title says why. The
  // renderer is read in a worker, on an OffscreenCanvas (what TensorFlow.js itself would draw
  // on), which neither switch reaches: there a software WebGL answers, and on it wasm wins too.
  const title = (await page.locator(".fd-indicator").getAttribute("title")) ?? "";
  expect(title).toMatch(/no WebGL in this browser|WebGL here is a software renderer/);
  expect(title).not.toMatch(/fell back/);
  await expectAllReady(page, "on the deck without WebGL");
  expect(problems.pageErrors).toEqual([]);
}

describe("Chromium started with --disable-webgl", () => {
  let session: Session;
  beforeAll(async () => {
    // The switch still leaves WebGL on OffscreenCanvas (which TensorFlow.js would pick by
    // itself): the engine must honour the page's own answer.
    session = await openSession({ args: ["--disable-webgl"] });
  });
  afterAll(() => session?.close());

  it("the deck runs its cells on wasm and the indicator says so", () => expectDeckOnWasm(session));
});

describe("no WebGL on any canvas (a blocklisted GPU)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
    await session.context.addInitScript(() => {
      for (const type of [HTMLCanvasElement, OffscreenCanvas]) {
        const original = type.prototype.getContext as (
          this: unknown,
          ...args: unknown[]
        ) => unknown;
        Object.defineProperty(type.prototype, "getContext", {
          value(this: unknown, kind: string, ...rest: unknown[]) {
            return /webgl/i.test(kind) ? null : original.call(this, kind, ...rest);
          },
        });
      }
    });
  });
  afterAll(() => session?.close());

  it("the deck runs its cells on wasm and the indicator says so", () => expectDeckOnWasm(session));
});
