/**
 * The breakthroughs notebook and its slides (issue 12): the Inception module follows the
 * channel counts and the reductions toggle, the small Inception network answers a picked
 * digit branch by branch, a short scale run gives a point per model and size, the benchmark a
 * number per backend present, the 8-bit network stays within a point of float32, and leaving
 * the slides leaves neither workers nor tensors behind.
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

const slot = (page: Page, cell: string) => page.locator(`[data-slot="breakthroughs/${cell}"]`);

async function show(page: Page, cell: string): Promise<void> {
  await slot(page, cell).evaluate((element) => element.scrollIntoView({ block: "center" }));
  await page.waitForFunction(
    (key) => document.querySelector(`[data-slot="${key}"] [data-cell]`) !== null,
    `breakthroughs/${cell}`,
    { timeout: 30_000, polling: 50 },
  );
}

async function dataset(page: Page, selector: string): Promise<Record<string, string | undefined>> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => ({ ...(element as HTMLElement).dataset }));
}

describe("breakthroughs notebook", () => {
  let session: Session;
  let page: Page;
  beforeAll(async () => {
    session = await openSession();
    page = session.page;
    await gotoAndSettle(page, siteUrl("/notebook.html?n=breakthroughs&scale=quick"));
  });
  afterAll(() => session?.close());

  it("counts the Inception module from the audience's channel counts and redraws it", async () => {
    await show(page, "inception-table");
    await settle(page);
    const values = () =>
      page
        .locator("[data-slot='breakthroughs/inception-table'] td[data-value]")
        .evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));
    // naive params, naive multiply-adds, reduced params, reduced multiply-adds (inception 3a)
    expect(await values()).toEqual([387_296, 303_464_448, 163_696, 128_049_152]);
    const layers = () =>
      page.locator("[data-slot='breakthroughs/inception-diagram'] .fd-layer").count();
    expect(await layers()).toBe(9);

    const inChannels = page
      .locator("[data-slot='breakthroughs/inception-channels'] input[type=number]")
      .first();
    await inChannels.fill("64");
    await inChannels.dispatchEvent("input");
    await settle(page);
    const after = await values();
    expect(after[2]).toBe(
      64 * 64 +
        64 +
        64 * 96 +
        96 +
        9 * 96 * 128 +
        128 +
        64 * 16 +
        16 +
        25 * 16 * 32 +
        32 +
        64 * 32 +
        32,
    );

    await page
      .locator("[data-slot='breakthroughs/inception-channels'] input[type=checkbox]")
      .click();
    await settle(page);
    expect(await layers()).toBe(6); // input, three convolutions, the pooling, the concatenation
    await expectNoCellErrors(page, "after changing the Inception module");
  });

  it("shows each branch's feature maps for a picked held-out digit", async () => {
    await show(page, "inception-maps");
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>("[data-role=inception-maps]")?.dataset.answer !==
        undefined,
      undefined,
      { timeout: 30_000, polling: 50 },
    );
    expect((await dataset(page, "[data-role=inception-maps]")).answer).toBe("3");
    await page.locator("[data-slot='breakthroughs/inception-maps'] button[data-digit='7']").click();
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>("[data-role=inception-maps]")?.dataset.answer === "7",
      undefined,
      { timeout: 30_000, polling: 50 },
    );
    const inked = await page
      .locator("[data-role=inception-maps] [data-branch] canvas")
      .evaluateAll((canvases) =>
        canvases.map((c) => {
          const canvas = c as HTMLCanvasElement;
          const pixels = canvas
            .getContext("2d")!
            .getImageData(0, 0, canvas.width, canvas.height).data;
          let dark = 0;
          for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 200) dark++;
          return dark;
        }),
      );
    expect(inked).toHaveLength(24);
    expect(inked.filter((d) => d > 0).length).toBeGreaterThan(12); // most maps respond to a 7
  });

  it("runs a short scale chart in a worker: a point per model and size, then no worker", async () => {
    await show(page, "scaling");
    await settle(page);
    const chart = "[data-role=scale-chart]";
    expect((await dataset(page, chart)).source).toBe("shipped");
    expect(Number((await dataset(page, chart)).points)).toBe(28);
    await page.locator(`${chart} button`).click();
    await page.waitForFunction(
      (s) =>
        document.querySelector<HTMLElement>(s)?.dataset.points === "8" &&
        document.querySelector(`${s} button`)?.textContent === "recompute live",
      chart,
      { timeout: 110_000, polling: 100 },
    );
    // A terminated worker leaves page.workers() when Chromium reports it closed, a moment later.
    await expect
      .poll(() => page.workers().map((w) => w.url()), { message: "workers still running" })
      .toEqual([]);
    const text = await page.locator(chart).textContent();
    expect(text).toContain("recomputed live: 8 runs");
  });

  it("quantizes the digit network: 8 bits within a point of float32, a quarter of the size", async () => {
    await show(page, "quantization");
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>("[data-role=quantization]")?.dataset.rows === "5",
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    const rows = await page
      .locator("[data-role=quantization] tr[data-variant]")
      .evaluateAll((trs) =>
        Object.fromEntries(
          trs.map((tr) => [
            (tr as HTMLElement).dataset.variant,
            Number((tr as HTMLElement).dataset.accuracy),
          ]),
        ),
      );
    expect(rows.float32).toBeGreaterThan(0.9);
    for (const variant of ["8-tensor", "8-channel", "16-tensor", "16-channel"]) {
      expect(Math.abs(rows[variant]! - rows.float32!), variant).toBeLessThanOrEqual(0.01);
    }
  });

  it("multiplies in int8 within a few percent of float32, at the size asked for", async () => {
    await show(page, "int8");
    await settle(page);
    const error = async () =>
      Number((await dataset(page, "[data-role=int8-matmul]")).relativeError);
    expect(await error()).toBeGreaterThan(0);
    expect(await error()).toBeLessThan(0.02);
    const size = page.locator("[data-slot='breakthroughs/int8-size'] input[type=number]");
    await size.fill("64");
    await size.dispatchEvent("input");
    await settle(page);
    await expect
      .poll(async () => page.locator("[data-role=int8-matmul]").textContent())
      .toContain("64 × 64");
    await expectNoCellErrors(page, "after the int8 product");
  });
});

describe("breakthroughs slides", () => {
  let session: Session;
  let page: Page;
  beforeAll(async () => {
    session = await openSession();
    page = session.page;
    await gotoAndSettle(page, siteUrl("/"));
  });
  afterAll(() => session?.close());

  /** Goes to the slide that holds `cell`, through reveal's address. */
  async function goTo(cell: string): Promise<void> {
    const at = await page.evaluate((key) => {
      const slide = document.querySelector(`[data-slot="${key}"]`)!.closest("section")!;
      const stack = slide.parentElement!.closest("section");
      const top = Array.from(document.querySelectorAll(".reveal .slides > section"));
      const h = top.indexOf(stack ?? slide);
      const v = stack ? Array.from(stack.querySelectorAll(":scope > section")).indexOf(slide) : 0;
      return `#/${h}/${v}`;
    }, `breakthroughs/${cell}`);
    await page.evaluate((hash) => (location.hash = hash), at);
    await page.waitForFunction(
      (key) => document.querySelector(`section.present [data-slot="${key}"] [data-cell]`) !== null,
      `breakthroughs/${cell}`,
      { timeout: 30_000, polling: 50 },
    );
  }

  it("benchmarks every backend present, extrapolates ImageNet, and stops its workers when left", async () => {
    await goTo("matmul");
    const bench = "section.present [data-role=matmul-bench]";
    await page.waitForFunction(
      (s) => document.querySelector<HTMLElement>(s)?.dataset.done === "true",
      bench,
      {
        timeout: 280_000,
        polling: 200,
      },
    );
    const expected = await page.evaluate(async () => {
      const canvas = document.createElement("canvas");
      const gl = canvas.getContext("webgl2") ?? canvas.getContext("webgl");
      const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      const webgpu = gpu ? !!(await gpu.requestAdapter()) : false;
      return [...(webgpu ? ["webgpu"] : []), ...(gl ? ["webgl"] : []), "wasm", "cpu"];
    });
    const measured = (await dataset(page, bench)).backends!.split(",");
    expect(measured.sort()).toEqual(expected.sort());
    const points = await page.locator(`${bench} circle`).count();
    expect(points).toBeGreaterThanOrEqual(expected.length * 4); // cpu stops early; the others reach 512 at least
    await goTo("imagenet");
    expect(
      Number((await dataset(page, "section.present [data-role=imagenet-estimate]")).rows),
    ).toBe(expected.length);
    expect(
      await page.locator("section.present [data-role=imagenet-estimate]").textContent(),
    ).toMatch(/FLOP ÷ .* FLOP\/s = /);
    expect(page.workers()).toHaveLength(0);
  }, 300_000);

  it("leaves no worker running and no tensors behind when the scale slide is left mid-run", async () => {
    await goTo("quantization");
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>("section.present [data-role=quantization]")?.dataset
          .rows === "5",
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    const before = (await memory(page)).numTensors;
    await goTo("scaling");
    await page.locator("section.present [data-role=scale-chart] button").click();
    await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(1);
    await goTo("tpu-facts");
    await expect.poll(() => page.workers().length, { timeout: 15_000 }).toBe(0);
    await goTo("scaling");
    await expect
      .poll(() => page.locator("section.present [data-role=scale-chart]").textContent(), {
        timeout: 10_000,
      })
      .toContain("the slide was left");
    await goTo("quantization");
    await settle(page);
    expect((await memory(page)).numTensors).toBe(before);
  });
});
