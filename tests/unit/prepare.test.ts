import { describe, expect, it } from "vitest";
import { needsOf } from "../../src/pages/prepare.ts";

const cell = (id: string, inputs: string[], outputs: string[], source = "") => ({
  id,
  inputs,
  outputs,
  source,
});

describe("needsOf: what a slide's cells load before they run", () => {
  const spec = {
    cells: [
      cell("data", ["d3"], ["points"]),
      cell("model", ["tf", "points"], ["model"], 'const {a} = await import("flowdeck/digits");'),
      cell("chart", ["Plot", "model", "width"], []),
      cell("other", ["Inputs"], ["unused"], 'await import("flowdeck/tensors")'),
    ],
  };

  it("follows the cells' inputs through the notebook to the built-ins and modules", () => {
    const needs = needsOf(spec as never, ["chart"]);
    expect(needs.builtins.sort()).toEqual(["Plot", "d3", "tf"]);
    expect(needs.modules).toEqual(["flowdeck/digits"]);
  });

  it("leaves out cells nothing on the slide needs, and names that are not modules (width)", () => {
    const needs = needsOf(spec as never, ["data"]);
    expect(needs).toEqual({ builtins: ["d3"], modules: [] });
  });

  it("ignores an unknown cell", () => {
    expect(needsOf(spec as never, ["nope"])).toEqual({ builtins: [], modules: [] });
  });
});
