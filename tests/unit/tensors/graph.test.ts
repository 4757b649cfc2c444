import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { Graph } from "../../../src/ml/graph/graph.ts";
import { Session } from "../../../src/ml/graph/session.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** The neuron of the notebook: y = σ(Wx + b), loss = mean((y − t)²). */
function neuron() {
  const g = new Graph();
  const x = g.placeholder("x", [2, null]);
  const t = g.placeholder("t", [1, null]);
  const W = g.variable("W", [[0.5, -0.5]]);
  const b = g.variable("b", [[0]]);
  const y = g.op("MatMul", [W, x], "Wx").add(b).sigmoid();
  const loss = y.sub(t).square().mean();
  return { g, y, loss };
}

describe("a TensorFlow 1.x-style graph", () => {
  it("extracts a small computation into nodes and edges with shapes and dtypes", () => {
    const { g, y, loss } = neuron();
    expect(g.all.map((n) => [n.id, n.kind, n.op])).toEqual([
      ["x", "placeholder", "Placeholder"],
      ["t", "placeholder", "Placeholder"],
      ["W", "variable", "Variable"],
      ["b", "variable", "Variable"],
      ["Wx", "operation", "MatMul"],
      ["Add", "operation", "Add"],
      ["Sigmoid", "operation", "Sigmoid"],
      ["Sub", "operation", "Sub"],
      ["Square", "operation", "Square"],
      ["Mean", "operation", "Mean"],
    ]);
    expect(y.id).toBe("Sigmoid");
    expect(y.shape).toEqual([1, null]);
    expect(loss.shape).toEqual([]);
    expect(g.edges.map((e) => `${e.from}->${e.to}`)).toEqual([
      "W->Wx",
      "x->Wx",
      "Wx->Add",
      "b->Add",
      "Add->Sigmoid",
      "Sigmoid->Sub",
      "t->Sub",
      "Sub->Square",
      "Square->Mean",
    ]);
    expect(g.edges.find((e) => e.from === "W")).toMatchObject({ shape: [1, 2], dtype: "float32" });
    expect(g.plan(["Sigmoid"]).map((n) => n.id)).toEqual(["W", "x", "Wx", "b", "Add", "Sigmoid"]);
  });

  it("refuses a shape mismatch at the node that causes it", () => {
    const g = new Graph();
    const a = g.placeholder("a", [2, 3]);
    const b = g.constant([
      [1, 2],
      [3, 4],
    ]);
    expect(() => a.matMul(b)).toThrow(/MatMul \(MatMul\).*inner sizes 3 and 2/);
    expect(() => a.add(g.constant([1, 2]))).toThrow(
      /Add \(Add\): shapes \[2, 3\] and \[2\] do not broadcast/,
    );
  });

  it("runs node by node in topological order with feeds, computing with tfjs", () => {
    const { g } = neuron();
    const session = new Session(tf, g);
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([
      [0, 0, 1, 1],
      [0, 1, 0, 1],
    ]);
    const t = tf.tensor2d([[0, 1, 1, 1]]);
    const seen: string[] = [];
    const [y] = session.run(["Sigmoid"], { x }, ({ node }) => seen.push(node.id));
    expect(seen).toEqual(["W", "x", "Wx", "b", "Add", "Sigmoid"]); // t is not needed
    const expected = [0, -0.5, 0.5, 0].map((z) => 1 / (1 + Math.exp(-z)));
    Array.from(y!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(() => session.run(["Mean"], { x })).toThrow(/placeholder t must be fed/);
    expect(() => session.run(["Mean"], { x: t, t })).toThrow(
      /placeholder x takes \[2, \?\], was fed \[1, 4\]/,
    );

    const run = session.start(["Mean"], { x, t });
    expect(run.plan.length).toBe(10);
    const first = run.step();
    expect(first.index).toBe(0);
    while (!run.done) run.step();
    const loss = run.value("Mean")!.dataSync()[0]!;
    const manual = expected.reduce((s, v, i) => s + (v - [0, 1, 1, 1][i]!) ** 2, 0) / 4;
    expect(loss).toBeCloseTo(manual, 5);
    run.dispose();
    tf.dispose([x, t, y!]);
    expect(tf.memory().numTensors).toBe(before);
    session.dispose();
  });

  it("updates its variables with an optimizer, and the loss falls", () => {
    const { g } = neuron();
    const session = new Session(tf, g);
    const x = tf.tensor2d([
      [0, 0, 1, 1],
      [0, 1, 0, 1],
    ]);
    const t = tf.tensor2d([[0, 1, 1, 1]]);
    const optimizer = tf.train.sgd(1);
    const w0 = session.variable("W").arraySync();
    const first = session.minimize(optimizer, "Mean", { x, t });
    let last = first;
    for (let i = 0; i < 50; i++) last = session.minimize(optimizer, "Mean", { x, t });
    expect(last).toBeLessThan(first);
    expect(session.variable("W").arraySync()).not.toEqual(w0);
    tf.dispose([x, t]);
    optimizer.dispose();
    session.dispose();
  });
});
