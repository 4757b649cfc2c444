/**
 * The digit demo (notebooks/digits.md): a digit drawn with the mouse is classified while it is
 * drawn, the layered picture follows the drawing, a retrain run shows progress and accuracy and
 * can be stopped, and none of it leaves tensors behind.
 */
import type { Locator, Page } from "playwright-core";
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

type Point = readonly [x: number, y: number];

/** Strokes in the pad's own coordinates (0…1), drawn with the mouse through the page. */
const ONE: Point[][] = [
  [
    [0.52, 0.14],
    [0.5, 0.5],
    [0.48, 0.86],
  ],
];
const ZERO: Point[][] = [
  Array.from({ length: 41 }, (_, i): Point => {
    const a = (i / 40) * 2 * Math.PI;
    return [0.5 + 0.24 * Math.sin(a), 0.5 - 0.34 * Math.cos(a)];
  }),
];
const SEVEN: Point[][] = [
  [
    [0.26, 0.2],
    [0.74, 0.2],
    [0.58, 0.5],
    [0.44, 0.84],
  ],
];

async function draw(page: Page, pad: Locator, strokes: Point[][]): Promise<void> {
  const box = await pad.boundingBox();
  if (!box) throw new Error("the drawing pad is not on screen");
  const at = ([x, y]: Point): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]!));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 6 });
    await page.mouse.up();
  }
}

interface Shown {
  prediction: string;
  sum: number;
  layers: string;
  /** pixels of the picture's links drawn grey, and drawn blue (to the label picked) */
  links: { grey: number; blue: number };
}

async function shown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const bars = document.querySelector<HTMLElement>("[data-role=digit-probabilities]");
    const rows = Array.from(
      document.querySelectorAll<HTMLElement>("[data-role=digit-probabilities] [data-digit]"),
    );
    return {
      prediction: bars?.dataset.prediction ?? "",
      sum: rows.reduce((s, r) => s + Number(r.dataset.probability), 0),
      layers:
        document.querySelector<HTMLElement>("[data-role=digit-layers]")?.dataset.prediction ?? "",
      links: (() => {
        const canvas = document.querySelector<HTMLCanvasElement>("[data-role=digit-links]");
        const data = canvas?.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data;
        const links = { grey: 0, blue: 0 };
        for (let i = 0; data && i < data.length; i += 4) {
          if (data[i + 3] === 0) continue;
          if (data[i + 2]! - data[i]! > 80) links.blue++;
          else links.grey++;
        }
        return links;
      })(),
    };
  });
}

describe("digits: from pixels to a label", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(() => session?.close());

  it("classifies drawn digits while drawing, and the layered picture follows", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/notebook.html?n=digits"));
    // The picture first, so that both cells are mounted when the pad is drawn on.
    await page.locator('[data-slot="digits/layers"]').scrollIntoViewIfNeeded();
    await page.locator("[data-role=digit-layers]").waitFor();
    await page.locator('[data-slot="digits/digits"]').scrollIntoViewIfNeeded();
    const pad = page.locator("[data-role=digit-pad]");
    await pad.waitFor();
    await settle(page);
    await expectNoCellErrors(page, "on load");
    const tensorsBefore = (await memory(page)).numTensors;

    for (const [digit, strokes] of [
      ["1", ONE],
      ["0", ZERO],
      ["7", SEVEN],
    ] as const) {
      await page.click("[data-role=digit-clear]");
      await expect.poll(async () => (await shown(page)).prediction).toBe("");
      // An empty pad: every link grey, none to a label.
      await expect.poll(async () => (await shown(page)).links.blue).toBe(0);
      expect((await shown(page)).links.grey).toBeGreaterThan(1000);
      await draw(page, pad, strokes);
      await expect
        .poll(async () => (await shown(page)).prediction, { message: `drew a ${digit}` })
        .toBe(digit);
      const now = await shown(page);
      expect(now.sum).toBeCloseTo(1, 3);
      await expect.poll(async () => (await shown(page)).layers).toBe(digit);
      // The links from the hidden units that fire to the label picked turn blue.
      expect((await shown(page)).links.blue).toBeGreaterThan(100);
    }

    // Updates come while the stroke is still being drawn (the button is still down).
    await page.click("[data-role=digit-clear]");
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.85, { steps: 8 });
    await expect.poll(async () => (await shown(page)).prediction).toBe("1");
    await page.mouse.up();

    // Once the last prediction has landed, every tensor it made is gone.
    await expect.poll(async () => (await memory(page)).numTensors).toBe(tensorsBefore);
  });

  it("retrains live with progress and a held-out accuracy chart; stopping keeps the model", async () => {
    const { page } = session;
    const panel = page.locator("[data-role=digit-training]");
    await page.locator('[data-slot="digits/retrain"]').scrollIntoViewIfNeeded();
    await page.locator("[data-role=digit-retrain]").waitFor();
    await expect.poll(() => panel.textContent(), { timeout: 20_000 }).toContain("held out");
    const tensorsBefore = (await memory(page)).numTensors;

    await page.click("[data-role=digit-retrain]");
    await expect.poll(() => page.locator("[data-role=digit-retrain]").textContent()).toBe("Stop");
    // The first held-out evaluation comes after 20 steps: a point on the chart.
    await expect
      .poll(async () => JSON.parse((await panel.getAttribute("data-history")) ?? "[]").length, {
        timeout: 40_000,
      })
      .toBeGreaterThan(0);
    expect(Number(await panel.getAttribute("data-step"))).toBeGreaterThanOrEqual(20);
    expect(
      Number(
        await page
          .locator("[data-role=digit-training] progress")
          .evaluate((p: HTMLProgressElement) => p.value),
      ),
    ).toBeGreaterThan(0);
    expect(await page.locator("[data-role=digit-accuracy-chart] circle").count()).toBeGreaterThan(
      0,
    );
    const accuracy = Number(await panel.getAttribute("data-accuracy"));
    expect(accuracy).toBeGreaterThan(0);
    expect(accuracy).toBeLessThanOrEqual(1);

    await page.click("[data-role=digit-retrain]");
    await expect
      .poll(() => page.locator("[data-role=digit-retrain]").textContent())
      .toBe("Retrain from scratch");
    await expect.poll(() => panel.textContent()).toContain("stopped");
    await settle(page);
    // The stopped network and its optimizer are gone; the demo's model is still there.
    expect((await memory(page)).numTensors).toBe(tensorsBefore);
    await expectNoCellErrors(page, "after a stopped retrain");
  });

  it("re-running the picture (a new width) leaks no tensors", async () => {
    const { page } = session;
    await page.locator('[data-slot="digits/layers"]').scrollIntoViewIfNeeded();
    await settle(page);
    const before = (await memory(page)).numTensors;
    for (const width of [1000, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await settle(page);
    }
    expect((await memory(page)).numTensors).toBe(before);
    expect(session.problems.pageErrors).toEqual([]);
  });
});
