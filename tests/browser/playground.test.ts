/**
 * The playground notebook in real Chromium: it trains (circle to test loss < 0.1; XOR and spiral
 * improve), its controls act mid-training, a link restores a state, and leaving it stops the
 * worker and leaves no tensors behind.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  gotoAndSettle,
  memory,
  openSession,
  siteUrl,
  expectNoCellErrors,
  type Session,
} from "./browser.ts";

const PG = ".pg";

interface Shown {
  epoch: number;
  run: number;
  trainLoss: number;
  testLoss: number;
  state: string;
  backend: string;
}

async function shown(page: Page): Promise<Shown> {
  return page.locator(PG).evaluate((el) => {
    const d = (el as HTMLElement).dataset;
    return {
      epoch: Number(d.epoch ?? -1),
      run: Number(d.run ?? -1),
      trainLoss: Number(d.trainLoss ?? NaN),
      testLoss: Number(d.testLoss ?? NaN),
      state: d.state ?? "",
      backend: d.backend ?? "",
    };
  });
}

async function codeText(page: Page): Promise<string> {
  const code = page.locator('[data-cell="playground/code"]');
  await code.scrollIntoViewIfNeeded();
  return (await code.textContent()) ?? "";
}

async function open(page: Page, query = ""): Promise<void> {
  await gotoAndSettle(page, siteUrl(`/notebook.html?n=playground${query}`));
  await page.locator('[data-cell="playground/playground"]').scrollIntoViewIfNeeded();
  await expect.poll(async () => (await shown(page)).backend, { timeout: 30_000 }).not.toBe("");
  await expect.poll(async () => (await shown(page)).epoch, { timeout: 10_000 }).toBe(0);
}

const play = (page: Page) => page.click(`${PG} [data-action=play]`);

async function trainUntil(page: Page, done: (s: Shown) => boolean, timeout = 20_000) {
  await expect.poll(async () => done(await shown(page)), { timeout, interval: 100 }).toBe(true);
  return shown(page);
}

describe("playground notebook", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(() => session?.close());

  it("trains circle to test loss < 0.1 and shows who trains", async () => {
    const { page } = session;
    await open(page);
    await expectNoCellErrors(page, "on the playground page");
    const start = await shown(page);
    expect(start.testLoss).toBeGreaterThan(0.2);
    await play(page);
    const end = await trainUntil(page, (s) => s.testLoss < 0.1);
    expect(end.epoch).toBeGreaterThan(0);
    expect(await page.locator(`${PG} .pg-hardware`).textContent()).toMatch(/Web Worker/);
    // the generated code follows the network on screen
    expect(await codeText(page)).toContain("units: 4");
  });

  it("changes the learning rate, adds a layer and toggles a feature mid-training", async () => {
    const { page } = session;
    await open(page);
    await play(page);
    await trainUntil(page, (s) => s.epoch > 5);
    // learning rate: applied live, the run goes on
    const before = await shown(page);
    await page.selectOption(`${PG} select[name=learningRate]`, "0.1");
    const after = await trainUntil(
      page,
      (s) => s.state.includes("lr=0.1&") && s.epoch > before.epoch + 5,
    );
    expect(after.run).toBe(before.run);
    expect(page.url()).toContain("lr%3D0.1");
    // a layer: a fresh run with three hidden layers, in the picture and the code
    await page.click(`${PG} button[aria-label="add a hidden layer"]`);
    const grown = await trainUntil(page, (s) => s.run > after.run);
    expect(grown.state).toContain("h=4%2C2%2C2");
    await expect.poll(() => page.locator(`${PG} .pg-neuron`).count()).toBe(8);
    await expect
      .poll(() => codeText(page))
      .toMatch(/units: 2, activation: "tanh"[\s\S]*units: 2, activation: "tanh"/);
    await page.locator(PG).scrollIntoViewIfNeeded();
    // a feature: x1² joins the inputs
    await page.click(`${PG} [data-feature=x1sq]`);
    await trainUntil(page, (s) => s.state.includes("f=x1%2Cx2%2Cx1sq"));
    expect(await page.locator(`${PG} [data-feature=x1sq]`).getAttribute("aria-pressed")).toBe(
      "true",
    );
    await expect.poll(() => codeText(page)).toContain("inputShape: [3]");
    await page.locator(PG).scrollIntoViewIfNeeded();
    await trainUntil(page, (s) => s.epoch > 10);
  });

  it("XOR and spiral improve", async () => {
    const { page } = session;
    for (const query of ["d=xor&f=x1,x2,x1x2", "d=spiral&h=8,8,6&lr=0.1&f=x1,x2,sinx1,sinx2"]) {
      await open(page, `&pg=${encodeURIComponent(query)}`);
      const start = await shown(page);
      await play(page);
      const end = await trainUntil(page, (s) => s.epoch >= 60);
      expect(end.testLoss, query).toBeLessThan(start.testLoss * 0.8);
    }
  });

  it("restores the state from a link, with a notice for what it could not use", async () => {
    const { page } = session;
    const state =
      "d=gauss&n=20&tr=70&b=5&lr=0.3&a=relu&r=L2&rr=0.01&f=x1,x2,sinx2&h=3,5,2&t=1&q=1&bogus=1";
    await open(page, `&pg=${encodeURIComponent(state)}`);
    const get = (name: string) => page.locator(`${PG} [name=${name}]`).inputValue();
    expect(await get("learningRate")).toBe("0.3");
    expect(await get("activation")).toBe("relu");
    expect(await get("regularization")).toBe("L2");
    expect(await get("regularizationRate")).toBe("0.01");
    expect(await get("noise")).toBe("20");
    expect(await get("trainRatio")).toBe("70");
    expect(await get("batchSize")).toBe("5");
    expect(await page.locator(`${PG} [name=showTestData]`).isChecked()).toBe(true);
    expect(await page.locator(`${PG} [name=discretize]`).isChecked()).toBe(true);
    expect(await page.locator(`${PG} [data-dataset=gauss]`).getAttribute("aria-checked")).toBe(
      "true",
    );
    const pressed = await page
      .locator(`${PG} .pg-input[aria-pressed=true]`)
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.feature));
    expect(pressed).toEqual(["x1", "x2", "sinx2"]);
    expect(await page.locator(`${PG} .pg-neuron`).count()).toBe(10);
    expect(await page.locator(`${PG} .pg-link`).count()).toBe(3 * 3 + 3 * 5 + 5 * 2 + 2);
    expect(await page.locator(`${PG} .pg-notice`).textContent()).toContain("bogus");
    // the same link gives the same run: same losses after one step
    await page.click(`${PG} [data-action=step]`);
    const first = await trainUntil(page, (s) => s.epoch === 1);
    await open(page, `&pg=${encodeURIComponent(state)}`);
    await page.click(`${PG} [data-action=step]`);
    const again = await trainUntil(page, (s) => s.epoch === 1);
    expect(again.testLoss).toBe(first.testLoss);
  });

  it("stops training off screen, ends its worker, resumes the run on return, leaves no tensors on the main thread", async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1280, height: 200 });
    await open(page);
    await play(page);
    await trainUntil(page, (s) => s.epoch > 5);
    expect((await memory(page)).numTensors).toBe(0);
    // The worker's own rate (it trains a lease of 200 ms after the last pull, then stops).
    const before = await shown(page);
    await page.waitForTimeout(500);
    const rate = ((await shown(page)).epoch - before.epoch) / 0.5;
    const away = await page.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      const rect = document.querySelector(".pg")!.getBoundingClientRect();
      return -rect.bottom;
    });
    expect(away, "scrolled far enough for the cell to pause").toBeGreaterThan(200);
    await page.waitForTimeout(300);
    const paused = await shown(page);
    await page.waitForTimeout(2000);
    // the page drew nothing, and the worker stopped soon after the page stopped pulling
    expect((await shown(page)).epoch).toBe(paused.epoch);
    // a second off screen, the engine suspends the widget: its worker ends, its run is kept
    await expect.poll(() => page.locator(PG).getAttribute("data-suspended")).toBe("true");
    const run = await page.locator(PG).getAttribute("data-run");
    await page.locator(PG).scrollIntoViewIfNeeded();
    const resumed = await trainUntil(page, (s) => s.epoch > paused.epoch);
    // a new worker, carrying on from the checkpoint: the same run, not a fresh one at epoch 0
    expect(await page.locator(PG).getAttribute("data-suspended")).toBeNull();
    expect(await page.locator(PG).getAttribute("data-run")).toBe(run);
    // At most the lease and a resumed frame's worth: about a second of training (that it stopped is checked above).
    expect(resumed.epoch - paused.epoch, "epochs trained while away").toBeLessThan(
      Math.max(60, rate * 1.5),
    );
    expect((await memory(page)).numTensors).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
