/**
 * Model parallelism and scaling (notebooks/parallelism.md, talk slides 29-32): a network split
 * across two real Web Workers trains in a pipeline whose measured bubble shrinks with more
 * micro-batches; three ways of training agree on the weights; scaling and prediction
 * throughput are measured; the cost model answers its sliders; and leaving a slide leaves no
 * worker and no tensor behind.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectNoCellErrors,
  gotoAndSettle,
  memory,
  openSession,
  settle,
  siteUrl,
  type Session,
} from "./browser.ts";

const NOTEBOOK = "/notebook.html?n=parallelism";
const RUN_MS = 90_000;

function stageWorkers(page: Page): number {
  return page.workers().filter((w) => /stage-worker/.test(w.url())).length;
}

async function scrollTo(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
}

describe("model parallelism and scaling (notebook)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
    await gotoAndSettle(session.page, siteUrl(NOTEBOOK));
  });
  afterAll(() => session?.close());

  it("pipelines micro-batches across two workers, and more micro-batches shrink the bubble", async () => {
    const { page } = session;
    await scrollTo(page, '[data-cell="parallelism/pipeline-view"]');
    await expect.poll(() => stageWorkers(page), { timeout: RUN_MS }).toBe(2);
    await page.locator("[data-role=pipeline][data-status=done]").waitFor({ timeout: RUN_MS });
    const idle = await page.$$eval("[data-role=pipeline-timeline]", (views) =>
      Object.fromEntries(
        views.map((v) => [(v as SVGElement).dataset.micro, Number((v as SVGElement).dataset.idle)]),
      ),
    );
    expect(Object.keys(idle).sort((a, b) => Number(a) - Number(b))).toEqual([
      "1",
      "2",
      "4",
      "8",
      "16",
    ]);
    // one micro-batch: the stages take turns, about half idle; with 4 or 8 they overlap
    expect(idle["1"]).toBeGreaterThan(0.3);
    expect(Math.min(idle["4"]!, idle["8"]!)).toBeLessThan(idle["1"]! - 0.1);
    // the bars were really drawn, two rows per timeline
    expect(await page.locator("[data-role=pipeline-timeline] rect").count()).toBeGreaterThan(5 * 4);
    // where the network was cut, and how busy each stage was
    expect(await page.locator("[data-role=pipeline-balance]").textContent()).toMatch(
      /Cut after layer 1:\s+stage 0 has layer 1, stage 1 layers 2–4/,
    );
    expect(await page.locator("[data-role=pipeline-timeline] text").first().textContent()).toMatch(
      /stages busy \d+ and \d+ ms/,
    );
  });

  it("trains the same weights on one worker, two data-parallel workers and the pipeline", async () => {
    const { page } = session;
    await scrollTo(page, '[data-cell="parallelism/compare-view"]');
    await page.locator("[data-role=comparison][data-done=yes]").waitFor({ timeout: RUN_MS });
    const rows = await page.$$eval("[data-role=comparison] tr[data-config]", (trs) =>
      trs.map((tr) => ({
        name: (tr as HTMLElement).dataset.config,
        perSecond: Number((tr as HTMLElement).dataset.perSecond),
        diff: Number((tr as HTMLElement).dataset.diff),
      })),
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.perSecond, r.name).toBeGreaterThan(0);
      expect(r.diff, r.name).toBeLessThan(1e-4);
    }
  });

  it("measures scaling with the workers there are, and the cost model reproduces the keynote", async () => {
    const { page } = session;
    await scrollTo(page, '[data-cell="parallelism/scaling-view"]');
    // what the slide shows while it measures counts too: each point as it comes, never an error
    const seen = new Set<string>();
    const deadline = Date.now() + RUN_MS * 2;
    while (!(await page.locator("[data-role=scaling][data-done=yes]").count())) {
      expect(Date.now(), "the scaling run ends").toBeLessThan(deadline);
      const cell = (await page.evaluate(() => window.flowdeck.cells())).find(
        (c) => c.id === "scaling-view",
      );
      if (cell?.state === "error") seen.add(cell.error ?? "error");
      await page.waitForTimeout(150);
    }
    expect([...seen], "errors shown while measuring").toEqual([]);
    const labels = await page.locator("[data-role=scaling] svg text").allTextContents();
    expect(labels.some((t) => /^\d\.\d\d× · \d+ %$/.test(t))).toBe(true);
    // the link's latency is postMessage's (tens of µs here), not a round trip queued behind a
    // worker starting up or a busy page (it read 19150 µs when one round trip was timed)
    const latency = Number(
      await page.locator("[data-role=scaling]").getAttribute("data-latency-us"),
    );
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(5000);

    await scrollTo(page, '[data-cell="parallelism/cost-chart"]');
    const chart = page.locator("[data-role=cost-model]");
    await expect.poll(() => chart.getAttribute("data-speedup")).toMatch(/^15\.(5[5-9]|6\d)$/);
    expect(Math.round(Number(await chart.getAttribute("data-efficiency")) * 100)).toBe(78);
    // the sliders respond: fewer nodes, less speed-up; a parameter server, less still
    const nodes = page.locator("[data-role=cost-controls] input[name=nodes]");
    await nodes.fill("7"); // 1 + 7 nodes
    await expect.poll(async () => Number(await chart.getAttribute("data-speedup"))).toBeLessThan(8);
    const ring = Number(await chart.getAttribute("data-speedup"));
    await page.locator("[data-role=cost-controls] input[value=ps]").check();
    await expect
      .poll(async () => Number(await chart.getAttribute("data-speedup")))
      .toBeLessThan(ring);

    // the measured preset fills the sliders from this machine
    await page.getByLabel("this machine (measured)").check();
    await expect
      .poll(() => page.locator("[data-role=cost-controls] input[name=nodes]").inputValue())
      .not.toBe("7");
  });

  it("measures prediction throughput at batch 1 and 64, batches faster", async () => {
    const { page } = session;
    await scrollTo(page, '[data-cell="parallelism/serving-view"]');
    await page.locator("[data-role=serving][data-done=yes]").waitFor({ timeout: RUN_MS });
    const perSecond = await page.$$eval("[data-role=serving] tr[data-batch]", (trs) =>
      Object.fromEntries(
        trs.map((tr) => [
          (tr as HTMLElement).dataset.batch,
          Number((tr as HTMLElement).dataset.perSecond),
        ]),
      ),
    );
    expect(perSecond["1"]).toBeGreaterThan(0);
    expect(perSecond["64"]).toBeGreaterThan(perSecond["1"]!);
    await settle(page);
    await expectNoCellErrors(page, "on the parallelism notebook");
    // every measurement ended its workers when it was done
    await expect.poll(() => stageWorkers(page), { timeout: 10_000 }).toBe(0);
  });

  it("writes its text at 14 px or more", async () => {
    const small = await session.page.$$eval(
      '[data-cell^="parallelism/"] text, [data-cell^="parallelism/"] td, [data-cell^="parallelism/"] label, [data-cell^="parallelism/"] p',
      (nodes) =>
        nodes
          .filter((n) => n.textContent?.trim() && parseFloat(getComputedStyle(n).fontSize) < 14)
          .map(
            (n) => `${n.tagName} ${getComputedStyle(n).fontSize}: ${n.textContent!.slice(0, 40)}`,
          ),
    );
    expect(small).toEqual([]);
  });
});

describe("model parallelism on the slides", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("runs the pipeline on its slide; leaving ends the workers, returning resumes", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/#/parallelism-pipeline"));
    await page.locator(".present [data-role=pipeline]").waitFor({ timeout: RUN_MS });
    await expect.poll(() => stageWorkers(page), { timeout: RUN_MS }).toBe(2);
    const before = await memory(page);
    await page
      .locator(".present [data-role=pipeline-timeline][data-micro='2']")
      .waitFor({ timeout: RUN_MS });
    // leave mid-run, for the title slide: the paused loop checkpoints and ends its workers
    await page.evaluate(() => (location.hash = "#/0"));
    await expect.poll(() => page.locator("section#parallelism-pipeline.present").count()).toBe(0);
    await expect.poll(() => stageWorkers(page), { timeout: 15_000 }).toBe(0);
    await settle(page);
    expect((await memory(page)).numTensors).toBeLessThanOrEqual(before.numTensors);
    // back: new workers carry on with the micro-batch counts not yet measured
    await page.evaluate(() => (location.hash = "#/parallelism-pipeline"));
    await page
      .locator(".present [data-role=pipeline][data-status=done]")
      .waitFor({ timeout: RUN_MS });
    expect(await page.locator(".present [data-role=pipeline-timeline]").count()).toBe(5);
    await expect.poll(() => stageWorkers(page), { timeout: 15_000 }).toBe(0);
  });

  it("links slide 29's list to the demos by slide id", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/#/parallelism-cost"));
    const hrefs = await page.$$eval(".reveal a[href^='#/']", (as) =>
      as.map((a) => a.getAttribute("href")),
    );
    const linked = hrefs.map((href) => href?.slice(2) ?? "");
    for (const id of [
      "parallelism-pipeline",
      "parallelism-cost",
      "sending-fewer-bits",
      "data-parallel-demo",
    ]) {
      expect(linked).toContain(id);
    }
    // Every slide link in the deck lands on a slide.
    for (const id of new Set(linked)) {
      expect(await page.locator(`.reveal section[id="${id}"]`).count(), `#/${id}`).toBe(1);
    }
    await page.locator(".present [data-role=cost-model]").waitFor({ timeout: RUN_MS });
    await expectNoCellErrors(page, "on the cost-model slide");
  });
});
