import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { graphOf } from "../../../src/ml/breakthroughs/graph.ts";
import { INCEPTION_3A, inceptionModule } from "../../../src/ml/breakthroughs/inception.ts";

describe("model graph", () => {
  it("reads the four branches and their joins from the model's inbound nodes", () => {
    const model = inceptionModule(tf, INCEPTION_3A);
    const graph = graphOf(model);
    model.dispose();
    expect(graph.columns).toBe(4);
    expect(graph.levels).toBe(4);
    const concat = graph.nodes.find((n) => n.className === "Concatenate")!;
    expect(
      graph.edges
        .filter((e) => e.to === concat.name)
        .map((e) => e.from)
        .sort(),
    ).toEqual([
      "inception/1x1/conv_1x1",
      "inception/3x3/conv_3x3",
      "inception/5x5/conv_5x5",
      "inception/pool/proj_1x1",
    ]);
    const node = (name: string) => graph.nodes.find((n) => n.name === name)!;
    expect(node("inception/3x3/reduce_1x1")).toMatchObject({ level: 1, label: "conv 1×1, 96" });
    expect(node("inception/3x3/conv_3x3")).toMatchObject({
      level: 2,
      column: 1,
      shape: [28, 28, 128],
    });
    expect(concat).toMatchObject({ level: 3, column: 1.5, shape: [28, 28, 256] });
  });

  it("draws the naive module in two levels below the input", () => {
    const model = inceptionModule(tf, INCEPTION_3A, { reductions: false });
    const graph = graphOf(model);
    model.dispose();
    expect(graph.levels).toBe(3);
    expect(graph.edges).toHaveLength(8);
  });
});
