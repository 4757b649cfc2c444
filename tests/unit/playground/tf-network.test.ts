import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultState, type PlaygroundState } from "../../../src/ml/playground/config.ts";
import { generateDataset, splitTrainTest } from "../../../src/ml/playground/datasets.ts";
import { featurize, type Example } from "../../../src/ml/playground/features.ts";
import { layerSizes, specFromState } from "../../../src/ml/playground/network-spec.ts";
import { rngFor } from "../../../src/ml/playground/random.ts";
import {
  createNetwork,
  getWeights,
  loss,
  outputGrid,
  trainEpoch,
  type Network,
} from "../../../src/ml/playground/reference-network.ts";
import {
  createTfNetwork,
  disposeTfNetwork,
  getTfWeights,
  modelCode,
  predictGrid,
  setHyperparameters,
  tfLoss,
  toTensors,
  trainTfEpoch,
} from "../../../src/ml/playground/tf-network.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

interface Setup {
  state: PlaygroundState;
  train: Example[];
  test: Example[];
  reference: Network;
}

function setup(change: Partial<PlaygroundState>): Setup {
  const state = { ...defaultState(), ...change };
  const points = generateDataset(state.dataset, { noise: state.noise, seed: state.seed });
  const { train, test } = splitTrainTest(points, state.trainRatio, state.seed);
  const spec = specFromState(state);
  const reference = createNetwork(
    layerSizes(spec),
    spec.activation,
    spec.outputActivation,
    spec.regularization,
    rngFor(state.seed, "weights"),
  );
  return {
    state,
    train: featurize(train, state.features),
    test: featurize(test, state.features),
    reference,
  };
}

const EPOCHS = 50;

const CASES: Array<[string, Partial<PlaygroundState>]> = [
  ["playground defaults (circle, tanh, 4-2, lr 0.03, batch 10)", {}],
  [
    "xor, ReLU, L1, three features, batch 7 (a smaller last batch)",
    {
      dataset: "xor",
      activation: "relu",
      regularization: "L1",
      regularizationRate: 0.003,
      features: ["x1", "x2", "x1x2"],
      batchSize: 7,
      noise: 10,
    },
  ],
  [
    "plane regression, sigmoid, L2, linear output, lr 0.1",
    {
      dataset: "plane",
      problem: "regression",
      activation: "sigmoid",
      regularization: "L2",
      regularizationRate: 0.01,
      learningRate: 0.1,
      hiddenLayers: [3],
      noise: 20,
    },
  ],
  [
    "spiral, linear activation, no hidden layer, all features",
    {
      dataset: "spiral",
      activation: "linear",
      hiddenLayers: [],
      features: ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"],
      batchSize: 25,
      learningRate: 0.01,
    },
  ],
];

describe("TensorFlow.js network vs the reference network", () => {
  it.each(CASES)(
    "%s: train and test loss agree within 1e-5 for 50 epochs",
    async (_name, change) => {
      const { state, train, test, reference } = setup(change);
      const net = createTfNetwork(tf, specFromState(state), getWeights(reference));
      const tr = toTensors(tf, train);
      const te = toTensors(tf, test);
      const before = tf.memory().numTensors;
      let worst = 0;
      for (let epoch = 1; epoch <= EPOCHS; epoch++) {
        trainEpoch(reference, train, state.batchSize, state.learningRate, state.regularizationRate);
        trainTfEpoch(net, tr.xs, tr.ys);
        const diffs = [
          Math.abs((await tfLoss(net, tr.xs, tr.ys)) - loss(reference, train)),
          Math.abs((await tfLoss(net, te.xs, te.ys)) - loss(reference, test)),
        ];
        worst = Math.max(worst, ...diffs);
      }
      expect(worst).toBeLessThan(1e-5);
      // training must actually have moved the network
      const start = createNetwork(
        reference.sizes,
        reference.activation,
        reference.outputActivation,
        reference.regularization,
        rngFor(state.seed, "weights"),
      );
      expect(loss(reference, train)).toBeLessThan(loss(start, train));
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([tr.xs, tr.ys, te.xs, te.ys]);
      disposeTfNetwork(net);
    },
    20_000,
  );
});

describe("TensorFlow.js network: the tolerance means something", () => {
  it("a 1 % different learning rate is caught", async () => {
    const { state, train, reference } = setup({});
    const net = createTfNetwork(tf, specFromState(state), getWeights(reference));
    setHyperparameters(net, { learningRate: state.learningRate * 1.01 });
    const tr = toTensors(tf, train);
    for (let epoch = 0; epoch < 10; epoch++) {
      trainEpoch(reference, train, state.batchSize, state.learningRate, 0);
      trainTfEpoch(net, tr.xs, tr.ys);
    }
    expect(Math.abs((await tfLoss(net, tr.xs, tr.ys)) - loss(reference, train))).toBeGreaterThan(
      1e-4,
    );
    tf.dispose([tr.xs, tr.ys]);
    disposeTfNetwork(net);
  });

  it("takes the reference's weights exactly (to float32)", async () => {
    const { state, reference } = setup({ hiddenLayers: [3, 5], features: ["x1", "x2", "sinx1"] });
    const net = createTfNetwork(tf, specFromState(state), getWeights(reference));
    const back = await getTfWeights(net);
    back.forEach((p, l) => {
      p.kernel.forEach((w, k) => expect(w).toBe(Math.fround(reference.layers[l]!.kernel[k]!)));
      p.bias.forEach((b) => expect(b).toBe(Math.fround(0.1)));
    });
    expect(net.model.layers.map((layer) => layer.getConfig().activation)).toEqual([
      "tanh",
      "tanh",
      "tanh",
    ]);
    disposeTfNetwork(net);
  });
});

describe("TensorFlow.js network: heat map", () => {
  it("predicts the n × n grid in one call, as the reference computes it", async () => {
    const { state, reference } = setup({
      features: ["x1", "x2", "x1x2", "sinx2"],
      activation: "relu",
    });
    const net = createTfNetwork(tf, specFromState(state), getWeights(reference));
    const before = tf.memory().numTensors;
    const grid = await predictGrid(net, 50);
    expect(grid).toBeInstanceOf(Float32Array);
    expect(grid).toHaveLength(2500);
    const expected = outputGrid(reference, 50, state.features);
    let worst = 0;
    grid.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]!))));
    expect(worst).toBeLessThan(1e-5);
    // the grid's inputs are cached: one tensor more, and none more on the next frame
    await predictGrid(net, 50);
    expect(tf.memory().numTensors).toBe(before + 1);
    await predictGrid(net, 20);
    expect(tf.memory().numTensors).toBe(before + 1);
    disposeTfNetwork(net);
  });
});

interface GeneratedProgram {
  model: tf.Sequential;
  trainEpoch: (xs: tf.Tensor2D, labels: tf.Tensor2D) => void;
}

/** Runs the code shown to the audience, as a notebook cell would, and hands back what it defines. */
function runGenerated(code: string): GeneratedProgram {
  const factory = new Function("tf", `${code}\nreturn { model, trainEpoch };`) as (
    t: typeof tf,
  ) => unknown;
  const program = factory(tf) as Partial<GeneratedProgram>;
  if (!(program.model instanceof tf.Sequential) || typeof program.trainEpoch !== "function") {
    throw new Error("the generated code did not define model and trainEpoch");
  }
  return program as GeneratedProgram;
}

describe("modelCode: the code on the slide is the code that runs", () => {
  const cases: Array<[string, Partial<PlaygroundState>]> = [
    ["defaults", {}],
    [
      "L2, ReLU, 3 features, batch 7",
      {
        regularization: "L2",
        regularizationRate: 0.03,
        activation: "relu",
        features: ["x1", "x2", "x1sq"],
        batchSize: 7,
      },
    ],
    [
      "L1 regression, no hidden layer",
      {
        dataset: "plane",
        problem: "regression",
        regularization: "L1",
        regularizationRate: 0.01,
        hiddenLayers: [],
      },
    ],
  ];

  it.each(cases)("%s: trains exactly like trainTfEpoch", async (_name, change) => {
    const { state, train, reference } = setup(change);
    const code = modelCode(state);
    const program = runGenerated(code);
    const net = createTfNetwork(tf, specFromState(state), getWeights(reference));
    program.model.setWeights(net.model.getWeights());
    expect(program.model.layers.map((l) => l.getConfig().units)).toEqual([
      ...state.hiddenLayers,
      1,
    ]);
    const tr = toTensors(tf, train);
    for (let epoch = 0; epoch < 5; epoch++) {
      program.trainEpoch(tr.xs, tr.ys);
      trainTfEpoch(net, tr.xs, tr.ys);
    }
    const ours = await Promise.all(net.model.getWeights().map((w) => w.data()));
    const theirs = await Promise.all(program.model.getWeights().map((w) => w.data()));
    expect(theirs).toEqual(ours);
    expect(ours.flatMap((a) => [...a])).not.toEqual(
      getWeights(reference)
        .flatMap((p) => [...p.kernel, ...p.bias])
        .map(Math.fround),
    );
    tf.dispose([tr.xs, tr.ys]);
    program.model.dispose();
    disposeTfNetwork(net);
  });

  it("states the numbers of the network on screen", () => {
    const code = modelCode({
      ...defaultState(),
      learningRate: 0.3,
      batchSize: 12,
      regularization: "L2",
      regularizationRate: 0.01,
    });
    expect(code).toContain("tf.train.sgd(0.3)");
    expect(code).toContain('inputShape: [2], units: 4, activation: "tanh"');
    expect(code).toContain('units: 1, activation: "tanh"');
    expect(code).toContain("start += 12");
    expect(code).toContain(".mul(0.005)");
    expect(modelCode(defaultState())).not.toContain("penalty");
    expect(modelCode({ ...defaultState(), dataset: "plane", problem: "regression" })).toContain(
      'units: 1, activation: "linear"',
    );
  });
});
