/**
 * Tensors and TensorFlow (issue 13): every widget of the two notebooks renders without error and
 * answers its inputs; the dataflow graph of the known neuron has the expected nodes and edges;
 * interacting leaves no tensor behind.
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
  visitEverySlot,
  type Session,
} from "./browser.ts";

const TALL = { width: 1280, height: 1000 };

async function show(page: Page, cell: string): Promise<void> {
  await page.locator(`[data-slot="${cell}"]`).scrollIntoViewIfNeeded();
  await page.locator(`[data-slot="${cell}"] [data-cell]`).first().waitFor();
  await settle(page);
}

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();
const data = (page: Page, selector: string, key: string) =>
  page.locator(selector).first().getAttribute(`data-${key}`);

/**
 * Opens a session for the describe block it is called in, with the test that every cell of
 * `notebook` renders without error (which loads the page the block's other tests use).
 */
function notebookSuite(notebook: string): () => Session {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: TALL });
  });
  afterAll(() => session?.close());
  it("renders every cell without error", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl(`/notebook.html?n=${notebook}`));
    await visitEverySlot(page);
    await expectNoCellErrors(page, `on the ${notebook} page`);
  });
  return () => session;
}

describe("tensors notebook", () => {
  const session = notebookSuite("tensors");

  it("the vector and matrix answer their index sliders", async () => {
    const { page } = session();
    await show(page, "tensors/vx");
    await page.locator('[data-cell="tensors/vx"] input[type=range]').fill("20");
    await expect
      .poll(() => text(page, '[data-cell="tensors/vector"]'))
      .toContain("v[20] is pixel [2][6]");
    await show(page, "tensors/mxy");
    const ranges = page.locator('[data-cell="tensors/mxy"] input[type=range]');
    await ranges.nth(0).fill("4");
    await ranges.nth(1).fill("1");
    await expect.poll(() => text(page, '[data-cell="tensors/heatmap"]')).toContain("m[4][1] =");
  });

  it("the explorer shows offsets and strides, and moves values with tfjs ops", async () => {
    const { page } = session();
    await show(page, "tensors/explorer");
    const explorer = '[data-cell="tensors/explorer"] [data-role=tensor-explorer]';
    const before = (await memory(page)).numTensors;
    expect(await data(page, explorer, "shape")).toBe("[2,3,4]");
    expect(await page.locator(`${explorer} g.el`).count()).toBe(24);
    await page.locator(`${explorer} g.el[data-k="23"] rect`).dispatchEvent("pointermove");
    await expect
      .poll(() => text(page, `${explorer} [data-role=tensor-info]`))
      .toContain("t[1][2][3] = 23");
    expect(await text(page, `${explorer} [data-role=tensor-info]`)).toContain(
      "offset 1·12 + 2·4 + 3·1 = 23",
    );

    await page.click(`${explorer} button[data-op=transpose]`);
    await expect.poll(() => data(page, explorer, "shape")).toBe("[4,3,2]");
    // transpose moved values: the element at offset 1 is now the old offset 12
    await page.locator(`${explorer} g.el[data-k="1"] rect`).dispatchEvent("pointermove");
    await expect
      .poll(() => text(page, `${explorer} [data-role=tensor-info]`))
      .toContain("t[0][0][1] = 12");
    await page.fill(`${explorer} [data-role=tensor-reshape]`, "[6, -1]");
    await page.click(`${explorer} button[data-op=reshape]`);
    await expect.poll(() => data(page, explorer, "shape")).toBe("[6,4]");
    await page.click(`${explorer} button[data-op=slice]`);
    await expect.poll(() => data(page, explorer, "shape")).toBe("[3,4]");
    await page.click(`${explorer} button[data-op=concat]`);
    await expect.poll(() => data(page, explorer, "shape")).toBe("[6,4]");
    await page.click(`${explorer} button[data-op=broadcast]`);
    await expect.poll(() => data(page, explorer, "shape")).toBe("[3,6,4]");
    await page.fill(`${explorer} [data-role=tensor-reshape]`, "[5, -1]");
    await page.click(`${explorer} button[data-op=reshape]`);
    await expect
      .poll(() => text(page, `${explorer} [data-role=tensor-message]`))
      .toContain("not a multiple of 5");

    await page.locator(`${explorer} [data-role=tensor-rank]`).fill("5");
    await expect.poll(() => data(page, explorer, "shape")).toBe("[2,2,2,2,3]");
    await page.fill(`${explorer} [data-role=tensor-shape]`, "[2, a]");
    await page.press(`${explorer} [data-role=tensor-shape]`, "Enter");
    await expect
      .poll(() => text(page, `${explorer} [data-role=tensor-message]`))
      .toContain("not a whole number");

    for (const [example, shape] of [
      ["colour image", "[8,8,3]"],
      ["sentence", "[6,4]"],
      ["digit", "[28,28]"],
      ["batch of digits", "[4,28,28,1]"],
    ] as const) {
      await page.click(`${explorer} button[data-example="${example}"]`);
      await expect.poll(() => data(page, explorer, "shape"), { timeout: 20_000 }).toBe(shape);
    }
    // The explorer holds one tensor, whatever was done to it.
    await settle(page);
    expect((await memory(page)).numTensors).toBe(before);
    await expectNoCellErrors(page, "after using the explorer");
  });
});

describe("tensorflow notebook", () => {
  const session = notebookSuite("tensorflow");

  it("draws the neuron's graph with the expected nodes and edges, and runs it node by node", async () => {
    const { page } = session();
    await show(page, "tensorflow/run-session");
    const panel = '[data-cell="tensorflow/run-session"] [data-role=session-panel]';
    const nodes = await page
      .locator(`${panel} [data-node]`)
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute("data-node")}:${e.getAttribute("data-kind")}`),
      );
    expect(nodes).toEqual([
      "x:placeholder",
      "t:placeholder",
      "W:variable",
      "b:variable",
      "MatMul:operation",
      "Add:operation",
      "Sigmoid:operation",
      "Sub:operation",
      "Square:operation",
      "Mean:operation",
    ]);
    const edges = await page
      .locator(`${panel} [data-edge]`)
      .evaluateAll((els) => els.map((e) => `${e.getAttribute("data-edge")} ${e.textContent}`));
    expect(edges).toEqual([
      "W->MatMul [1, 2] f32",
      "x->MatMul [2, ?] f32",
      "MatMul->Add [1, ?] f32",
      "b->Add [1, 1] f32",
      "Add->Sigmoid [1, ?] f32",
      "Sigmoid->Sub [1, ?] f32",
      "t->Sub [1, ?] f32",
      "Sub->Square [1, ?] f32",
      "Square->Mean [1, ?] f32",
    ]);
    const before = (await memory(page)).numTensors;
    await page.click(`${panel} [data-role=session-step]`);
    await expect.poll(() => data(page, panel, "computed")).toBe("1");
    expect(await page.locator(`${panel} [data-computed=true]`).count()).toBe(1);
    await page.click(`${panel} [data-role=session-step]`);
    await expect.poll(() => data(page, panel, "computed")).toBe("2");
    await page.click(`${panel} [data-role=session-run]`);
    await expect.poll(() => data(page, panel, "computed")).toBe("10");
    expect(await page.locator(`${panel} [data-computed=true]`).count()).toBe(10);
    const lossBefore = Number(
      /= (\d\.\d+)/.exec((await text(page, `${panel} [data-node=Mean]`)) ?? "")?.[1],
    );
    await page.click(`${panel} [data-role=session-train]`);
    await expect.poll(() => data(page, panel, "trained")).toBe("10");
    await expect.poll(() => data(page, panel, "computed")).toBe("10");
    const lossAfter = Number(
      /= (\d\.\d+)/.exec((await text(page, `${panel} [data-node=Mean]`)) ?? "")?.[1],
    );
    expect(lossAfter).toBeLessThan(lossBefore);
    // A complete run keeps its values until the next; another run replaces them, leaking none.
    await page.click(`${panel} [data-role=session-run]`);
    await settle(page);
    const after = (await memory(page)).numTensors;
    await page.click(`${panel} [data-role=session-run]`);
    await settle(page);
    expect((await memory(page)).numTensors).toBe(after);
    expect(after - before).toBeLessThanOrEqual(10);
  });

  it("differentiates a typed formula, and explains a mistake in place", async () => {
    const { page } = session();
    await show(page, "tensorflow/formula");
    const input = page.locator('[data-cell="tensorflow/formula"] input');
    await input.fill("x^2");
    await expect.poll(() => text(page, "body")).toContain("the slope is 3.000"); // f′(1.5) = 3
    await input.fill("x +");
    await expect
      .poll(() => text(page, '[data-cell="tensorflow/fx"] [role=alert]'))
      .toContain("ends too early");
    await input.fill("sin(x)");
    await expect.poll(() => text(page, "body")).toContain("the slope is 0.071"); // cos(1.5)
    await expectNoCellErrors(page, "after a fixed formula");
  });

  it("gradient descent converges with a small rate and diverges with a large one", async () => {
    const { page } = session();
    await show(page, "tensorflow/descent");
    const chart = '[data-cell="tensorflow/descent"] [data-step]';
    await expect.poll(() => data(page, chart, "step"), { timeout: 30_000 }).toBe("40");
    expect(await data(page, chart, "diverged")).toBe("false");
    await page.locator('[data-cell="tensorflow/rate"] input[type=range]').fill("0.45");
    await expect.poll(() => data(page, chart, "diverged"), { timeout: 30_000 }).toBe("true");
    expect(await text(page, '[data-cell="tensorflow/descent"]')).toContain("diverged at step");
  });

  it("the operations answer their inputs with outputs and shape rules", async () => {
    const { page } = session();
    await show(page, "tensorflow/ops");
    const panel = '[data-cell="tensorflow/ops"] [data-role=ops-panel]';
    const before = (await memory(page)).numTensors;
    await expect
      .poll(() => text(page, `${panel} [data-role=ops-output]`))
      .toContain("[[11, 22, 33], [14, 25, 36]]");
    await page.selectOption(`${panel} [data-role=ops-category]`, "Matrix");
    await expect.poll(() => data(page, panel, "op")).toBe("MatMul");
    await page.fill(`${panel} input[data-input=b]`, "[[1, 2]]");
    await expect
      .poll(() => text(page, `${panel} [data-role=ops-output]`))
      .toContain("inner sizes 2 and 1");
    await page.selectOption(`${panel} [data-role=ops-op]`, "MatrixInverse");
    await expect
      .poll(() => text(page, `${panel} [data-role=ops-output]`))
      .toContain("[[0.6, -0.7], [-0.2, 0.4]]");
    await page.fill(`${panel} input[data-input=a]`, "[[1, 2], [2, 4]]");
    await expect.poll(() => text(page, `${panel} [data-role=ops-output]`)).toContain("singular");
    await page.selectOption(`${panel} [data-role=ops-op]`, "MatrixDeterminant");
    await expect
      .poll(() => text(page, `${panel} [data-role=ops-output]`))
      .toMatch(/^49(\.0+\d*)?\n|^48\.99/);
    await settle(page);
    expect((await memory(page)).numTensors).toBe(before);

    await show(page, "tensorflow/conv");
    const conv = '[data-cell="tensorflow/conv"] [data-role=conv-view]';
    await expect.poll(() => data(page, conv, "range"), { timeout: 20_000 }).not.toBeNull();
    const edges = await data(page, conv, "range");
    await page.click(`${conv} button[data-kernel=blur]`);
    await expect.poll(() => data(page, conv, "range")).not.toBe(edges);
    expect(Number((await data(page, conv, "range"))!.split(",")[0])).toBeGreaterThanOrEqual(0);

    await show(page, "tensorflow/checkpoint");
    const out = '[data-cell="tensorflow/checkpoint"] [data-role=checkpoint-output]';
    const fresh = await data(page, out, "prediction");
    await page.click("[data-role=checkpoint-save]");
    await expect.poll(() => text(page, out)).toContain("saved");
    await page.click("[data-role=checkpoint-scramble]");
    await expect.poll(() => data(page, out, "prediction")).not.toBe(fresh);
    await page.click("[data-role=checkpoint-restore]");
    await expect.poll(() => text(page, out)).toContain("restored");
    expect(await data(page, out, "prediction")).toBe(fresh);

    await show(page, "tensorflow/stateful");
    for (let i = 0; i < 3; i++) await page.click("[data-role=counter-add]");
    await expect.poll(() => data(page, "[data-role=counter-value]", "value")).toBe("9");

    await show(page, "tensorflow/pipeline-view");
    await page.click("[data-role=pipeline-next]");
    await expect.poll(() => data(page, "[data-role=pipeline-batches]", "count")).toBe("1");
    expect(await text(page, "[data-role=pipeline-batches]")).toMatch(/x = \[[\d,]+\]/);
    await expectNoCellErrors(page, "after using the operations");
  });

  it("draws the MNIST model's graph, whose layers open into their ops", async () => {
    const { page } = session();
    await show(page, "tensorflow/model-graph");
    const graph = '[data-cell="tensorflow/model-graph"] [data-role=model-graph]';
    await page.locator(graph).waitFor();
    expect(await page.locator(`${graph} [data-layer]`).count()).toBe(5);
    expect(await text(page, `${graph} [data-role=model-total]`)).toMatch(/^26,698 weights/);
    const dense = page.locator(`${graph} [data-layer]`).nth(4);
    expect(await dense.getAttribute("data-expanded")).toBe("false");
    await dense.click();
    await expect
      .poll(() =>
        page
          .locator(`${graph} [data-layer]`)
          .nth(4)
          .locator("[data-op]")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-op"))),
      )
      .toEqual(["MatMul", "BiasAdd", "Softmax"]);
    expect(session().problems.pageErrors).toEqual([]);
  });
});
