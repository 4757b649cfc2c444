import { describe, expect, it } from "vitest";
import { neededCells, type CellNode } from "../../src/runtime/needed-cells.ts";

const cell = (id: string, inputs: string[], outputs: string[], active = false): CellNode => ({
  id,
  inputs,
  outputs,
  active,
});

describe("neededCells", () => {
  const notebook = [
    cell("data", [], ["points"]),
    cell("model", ["points"], ["model"]),
    cell("train", ["model", "points"], ["step"]),
    cell("chart", ["step", "width"], []),
    cell("other", ["points"], []),
  ];

  it("runs what is on screen and everything it depends on, transitively", () => {
    const needed = neededCells(notebook.map((c) => ({ ...c, active: c.id === "chart" })));
    expect([...needed].sort()).toEqual(["chart", "data", "model", "train"]);
  });

  it("pauses a loop when nothing on screen needs it", () => {
    const needed = neededCells(notebook.map((c) => ({ ...c, active: c.id === "other" })));
    expect([...needed].sort()).toEqual(["data", "other"]);
  });

  it("survives cycles and names nobody defines", () => {
    const cyclic = [cell("a", ["y", "nowhere"], ["x"], true), cell("b", ["x"], ["y"])];
    expect([...neededCells(cyclic)].sort()).toEqual(["a", "b"]);
  });
});
