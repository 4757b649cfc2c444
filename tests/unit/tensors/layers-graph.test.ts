import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { modelGraph } from "../../../src/ml/graph/layers-graph.ts";
import { createDigitModel, disposeDigitModel } from "../../../src/ml/mnist/model.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("the graph of a tf.layers model", () => {
  it("lists the digit network's layers with ops, shapes and parameter counts", () => {
    const model = createDigitModel(tf);
    const boxes = modelGraph(model);
    expect(boxes.map((b) => b.className)).toEqual([
      "Conv2D",
      "Conv2D",
      "Flatten",
      "Dense",
      "Dense",
    ]);
    expect(boxes.map((b) => b.outputShape)).toEqual([
      [null, 14, 14, 8],
      [null, 7, 7, 16],
      [null, 784],
      [null, 32],
      [null, 10],
    ]);
    expect(boxes.map((b) => b.params)).toEqual([80, 1168, 0, 25120, 330]);
    expect(boxes.reduce((s, b) => s + b.params, 0)).toBe(model.countParams());
    expect(boxes[0]!.ops.map((o) => o.op)).toEqual(["Conv2D", "BiasAdd", "Relu"]);
    expect(boxes[0]!.ops[0]!.weight?.shape).toEqual([3, 3, 1, 8]);
    expect(boxes[4]!.ops.map((o) => o.op)).toEqual(["MatMul", "BiasAdd", "Softmax"]);
    expect(boxes[2]!.ops.map((o) => o.op)).toEqual(["Reshape"]);
    expect(boxes.map((b) => b.inputs)).toEqual([
      [],
      [boxes[0]!.name],
      [boxes[1]!.name],
      [boxes[2]!.name],
      [boxes[3]!.name],
    ]);
    disposeDigitModel(model);
  });
});
