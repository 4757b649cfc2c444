// @vitest-environment jsdom
/**
 * A cell computed again with unchanged inputs (a `fit` cell whose slot resized) shows its
 * output once: Notebook Kit would otherwise append what it displays to what it displayed before.
 */
import { describe, expect, it } from "vitest";
import { createRuntime, defineCell, observeCell, rerunCell } from "../../src/runtime/kit.ts";
import { until } from "./support/load-notebook.ts";

describe("rerunCell", () => {
  it("replaces what a displaying cell showed instead of adding to it", async () => {
    const runtime = createRuntime({});
    const root = document.createElement("div");
    let runs = 0;
    const cell = defineCell(runtime.module(), root, {
      body: (display: (value: unknown) => unknown) => {
        runs++;
        const p = document.createElement("p");
        p.textContent = `run ${runs}`;
        display(p);
      },
      inputs: ["display"],
      outputs: [],
      autodisplay: false,
    });
    const { display } = cell;
    observeCell(cell, {
      pending: () => display?.pending(),
      fulfilled: (value) => display?.fulfilled(value),
      rejected: (error) => display?.rejected(error),
    });
    await until(() => runs === 1);
    rerunCell(cell);
    await until(() => runs === 2);
    rerunCell(cell);
    await until(() => runs === 3);
    await until(() => root.textContent === "run 3");
    expect(root.children).toHaveLength(1);
    runtime.dispose();
  });
});
