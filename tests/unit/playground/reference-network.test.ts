import { describe, expect, it } from "vitest";
import {
  ACTIVATIONS,
  REGULARIZATIONS,
  type Activation,
} from "../../../src/ml/playground/activations.ts";
import { generateDataset, splitTrainTest } from "../../../src/ml/playground/datasets.ts";
import { featureVector, featurize, type Example } from "../../../src/ml/playground/features.ts";
import { gridPoint } from "../../../src/ml/playground/grid.ts";
import { createRng } from "../../../src/ml/playground/random.ts";
import {
  batchGradient,
  createNetwork,
  flattenWeights,
  forward,
  getWeights,
  loss,
  neuronGrids,
  neuronOutputs,
  objective,
  outputGrid,
  setWeights,
  trainBatch,
  trainEpoch,
  type LayerParams,
  type Network,
} from "../../../src/ml/playground/reference-network.ts";

function randomExamples(n: number, inputs: number, seed: number, classify: boolean): Example[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => ({
    input: Array.from({ length: inputs }, () => rng.uniform(-2, 2)),
    target: classify ? (rng.next() < 0.5 ? -1 : 1) : rng.uniform(-1, 1),
  }));
}

/** Central differences of the objective, parameter by parameter. */
function numericalGradient(
  net: Network,
  batch: Example[],
  regRate: number,
  h = 1e-6,
): LayerParams[] {
  return net.layers.map((p) => {
    const diff = (arr: Float64Array): Float64Array =>
      arr.map((_, k) => {
        const keep = arr[k]!;
        arr[k] = keep + h;
        const up = objective(net, batch, regRate);
        arr[k] = keep - h;
        const down = objective(net, batch, regRate);
        arr[k] = keep;
        return (up - down) / (2 * h);
      });
    return { kernel: diff(p.kernel), bias: diff(p.bias) };
  });
}

describe("reference network: gradients", () => {
  const cases = ACTIVATIONS.flatMap((activation) =>
    REGULARIZATIONS.flatMap((regularization) =>
      (["tanh", "linear"] as Activation[]).map(
        (output) => [activation, regularization, output] as const,
      ),
    ),
  );

  it.each(cases)(
    "%s hidden, %s regularization, %s output: backprop matches central differences",
    (activation, regularization, output) => {
      const net = createNetwork([3, 4, 3, 1], activation, output, regularization, createRng(11));
      const batch = randomExamples(5, 3, 12, output === "tanh");
      const regRate = regularization === "none" ? 0 : 0.3;
      const analytic = flattenWeights(batchGradient(net, batch, regRate));
      const numeric = flattenWeights(numericalGradient(net, batch, regRate));
      expect(analytic.length).toBe(3 * 4 + 4 + 4 * 3 + 3 + 3 + 1);
      let worst = 0;
      analytic.forEach((g, k) => {
        worst = Math.max(worst, Math.abs(g - numeric[k]!) / Math.max(1, Math.abs(numeric[k]!)));
      });
      expect(worst).toBeLessThan(1e-7);
      // the gradient is not trivially zero
      expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(1e-3);
    },
  );

  it("regularizes weights, never biases", () => {
    const net = createNetwork([2, 2, 1], "tanh", "tanh", "L2", createRng(1));
    const batch = randomExamples(4, 2, 2, true);
    const plain = batchGradient(net, batch, 0);
    const reg = batchGradient(net, batch, 0.5);
    reg.forEach((g, l) => {
      expect(g.bias).toEqual(plain[l]!.bias);
      g.kernel.forEach((v, k) =>
        expect(v - plain[l]!.kernel[k]!).toBeCloseTo(0.5 * net.layers[l]!.kernel[k]!, 12),
      );
    });
    const l1 = createNetwork([2, 2, 1], "tanh", "tanh", "L1", createRng(1));
    batchGradient(l1, batch, 0.5).forEach((g, l) =>
      g.kernel.forEach((v, k) =>
        expect(v - plain[l]!.kernel[k]!).toBeCloseTo(0.5 * Math.sign(l1.layers[l]!.kernel[k]!), 12),
      ),
    );
  });
});

describe("reference network: training", () => {
  it("a batch step is θ ← θ − lr · gradient, and averages over the batch", () => {
    const net = createNetwork([2, 3, 1], "relu", "tanh", "L1", createRng(4));
    const batch = randomExamples(6, 2, 5, true);
    const before = flattenWeights(getWeights(net));
    const grad = flattenWeights(batchGradient(net, batch, 0.01));
    trainBatch(net, batch, 0.1, 0.01);
    const after = flattenWeights(getWeights(net));
    after.forEach((w, k) => expect(w).toBeCloseTo(before[k]! - 0.1 * grad[k]!, 14));
    // the same batch twice over has the same mean gradient
    const twice = createNetwork([2, 3, 1], "relu", "tanh", "L1", createRng(4));
    trainBatch(twice, [...batch, ...batch], 0.1, 0.01);
    flattenWeights(getWeights(twice)).forEach((w, k) => expect(w).toBeCloseTo(after[k]!, 14));
  });

  it("an epoch steps batch by batch in order, the last batch smaller", () => {
    const examples = randomExamples(23, 2, 8, false);
    const a = createNetwork([2, 2, 1], "sigmoid", "linear", "L2", createRng(9));
    const b = createNetwork([2, 2, 1], "sigmoid", "linear", "L2", createRng(9));
    trainEpoch(a, examples, 10, 0.3, 0.01);
    for (const [s, e] of [
      [0, 10],
      [10, 20],
      [20, 23],
    ])
      trainBatch(b, examples.slice(s, e), 0.3, 0.01);
    expect(getWeights(a)).toEqual(getWeights(b));
    const c = createNetwork([2, 2, 1], "sigmoid", "linear", "L2", createRng(9));
    trainEpoch(c, [...examples].reverse(), 10, 0.3, 0.01);
    expect(getWeights(c)).not.toEqual(getWeights(a));
  });

  it("learns the circle at the Playground's defaults", () => {
    const points = generateDataset("circle", { seed: "learn" });
    const split = splitTrainTest(points, 50, "learn");
    const train = featurize(split.train, ["x1", "x2"]);
    const test = featurize(split.test, ["x1", "x2"]);
    const net = createNetwork([2, 4, 2, 1], "tanh", "tanh", "none", createRng(1));
    const start = loss(net, test);
    for (let epoch = 0; epoch < 300; epoch++) trainEpoch(net, train, 10, 0.03, 0);
    expect(start).toBeGreaterThan(0.3);
    expect(loss(net, test)).toBeLessThan(0.05);
    const correct = test.filter((ex) => Math.sign(forward(net, ex.input)) === ex.target).length;
    expect(correct / test.length).toBeGreaterThan(0.97);
  });

  it("reports mean ½(output − target)², 0 for no examples", () => {
    const net = createNetwork([1, 1], "linear", "linear", "none", createRng(0));
    setWeights(net, [{ kernel: Float64Array.of(2), bias: Float64Array.of(1) }]);
    expect(forward(net, [3])).toBe(7);
    expect(
      loss(net, [
        { input: [3], target: 5 },
        { input: [0], target: 1 },
      ]),
    ).toBe((0.5 * 4 + 0) / 2);
    expect(loss(net, [])).toBe(0);
  });
});

describe("reference network: parameters and outputs", () => {
  it("starts with uniform(-0.5, 0.5) weights drawn unit by unit and biases 0.1", () => {
    const net = createNetwork([3, 2, 1], "tanh", "tanh", "none", createRng(21));
    const rng = createRng(21);
    const first = [rng.next(), rng.next(), rng.next()].map((u) => -0.5 + u);
    const kernel = net.layers[0]!.kernel;
    // unit 0's weights from inputs 0, 1, 2 sit at i · 2 + 0 in the [inputs][units] layout
    expect([kernel[0], kernel[2], kernel[4]]).toEqual(first);
    for (const p of net.layers) {
      expect([...p.bias].every((b) => b === 0.1)).toBe(true);
      expect([...p.kernel].every((w) => w >= -0.5 && w < 0.5)).toBe(true);
    }
    expect(createNetwork([3, 2, 1], "tanh", "tanh", "none", createRng(21)).layers).toEqual(
      net.layers,
    );
  });

  it("gets and sets copies of its parameters, checking their shapes", () => {
    const net = createNetwork([2, 3, 1], "tanh", "tanh", "none", createRng(1));
    const weights = getWeights(net);
    weights[0]!.kernel[0] = 99;
    expect(net.layers[0]!.kernel[0]).not.toBe(99);
    const other = createNetwork([2, 3, 1], "tanh", "tanh", "none", createRng(2));
    setWeights(other, weights);
    expect(getWeights(other)).toEqual(weights);
    expect(() => setWeights(other, weights.slice(1))).toThrow();
    expect(() =>
      setWeights(other, [{ kernel: new Float64Array(5), bias: new Float64Array(3) }, weights[1]!]),
    ).toThrow();
    expect(() => createNetwork([2], "tanh", "tanh", "none", createRng(1))).toThrow();
    expect(() => forward(net, [1])).toThrow();
    expect(flattenWeights(weights)).toHaveLength(2 * 3 + 3 + 3 + 1);
  });

  it("gives every neuron's output for a point and over the grid", () => {
    const net = createNetwork([2, 3, 2, 1], "relu", "tanh", "none", createRng(3));
    const outputs = neuronOutputs(net, [0.5, -1]);
    expect(outputs.map((l) => l.length)).toEqual([2, 3, 2, 1]);
    expect([...outputs[0]!]).toEqual([0.5, -1]);
    expect(outputs[3]![0]).toBe(forward(net, [0.5, -1]));
    expect([...outputs[1]!].every((v) => v >= 0)).toBe(true);

    const n = 7;
    const grids = neuronGrids(net, n, ["x1", "x2"]);
    const heat = outputGrid(net, n, ["x1", "x2"]);
    expect(grids.map((l) => l.length)).toEqual([2, 3, 2, 1]);
    const { x, y } = gridPoint(0, 6, n);
    expect(x).toBeGreaterThan(5);
    expect(y).toBeGreaterThan(5);
    const cell = 0 * n + 6;
    expect(heat[cell]).toBeCloseTo(forward(net, featureVector(x, y, ["x1", "x2"])), 6);
    expect(grids[1]![2]![cell]).toBeCloseTo(neuronOutputs(net, [x, y])[1]![2]!, 6);
  });
});
