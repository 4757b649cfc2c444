import { describe, expect, it } from "vitest";
import { ACTIVATIONS, REGULARIZATIONS } from "../../../src/ml/playground/activations.ts";
import {
  DEFAULT_STATE,
  LEARNING_RATES,
  decodeState,
  defaultState,
  encodeState,
  withProblem,
  type PlaygroundState,
} from "../../../src/ml/playground/config.ts";
import { DATASETS, DATASET_IDS } from "../../../src/ml/playground/datasets.ts";
import { FEATURE_IDS } from "../../../src/ml/playground/features.ts";
import { createRng, type Rng } from "../../../src/ml/playground/random.ts";

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)] as T;

function randomState(rng: Rng): PlaygroundState {
  const dataset = pick(rng, DATASET_IDS);
  const seedChars = "abcXYZ0189._-";
  return {
    dataset,
    problem: DATASETS[dataset].problem,
    noise: rng.int(51),
    trainRatio: 10 + rng.int(81),
    batchSize: 1 + rng.int(30),
    // menu values, and arbitrary doubles in range
    learningRate: rng.next() < 0.5 ? pick(rng, LEARNING_RATES) : rng.uniform(0, 10),
    activation: pick(rng, ACTIVATIONS),
    regularization: pick(rng, REGULARIZATIONS),
    regularizationRate: rng.next() < 0.3 ? 0 : rng.uniform(0, 10) / 10 ** rng.int(6),
    features: rng.shuffle(FEATURE_IDS).slice(0, 1 + rng.int(FEATURE_IDS.length)),
    hiddenLayers: Array.from({ length: rng.int(7) }, () => 1 + rng.int(8)),
    seed: Array.from({ length: 1 + rng.int(32) }, () => pick(rng, [...seedChars])).join(""),
    showTestData: rng.next() < 0.5,
    discretize: rng.next() < 0.5,
  };
}

describe("playground state: defaults", () => {
  it("are the Playground's", () => {
    expect(DEFAULT_STATE).toMatchObject({
      dataset: "circle",
      problem: "classification",
      noise: 0,
      trainRatio: 50,
      batchSize: 10,
      learningRate: 0.03,
      activation: "tanh",
      regularization: "none",
      features: ["x1", "x2"],
      hiddenLayers: [4, 2],
    });
    expect(Object.isFrozen(DEFAULT_STATE)).toBe(true);
    const copy = defaultState();
    copy.hiddenLayers.push(3);
    expect(DEFAULT_STATE.hiddenLayers).toEqual([4, 2]);
  });

  it("encode to nothing, and nothing decodes to them", () => {
    expect(encodeState(defaultState())).toBe("");
    expect(decodeState("")).toEqual({ state: defaultState(), problems: [] });
    expect(decodeState("#")).toEqual({ state: defaultState(), problems: [] });
  });

  it("switching the problem type switches the data set", () => {
    const s = withProblem(defaultState(), "regression");
    expect(s).toMatchObject({ problem: "regression", dataset: "plane" });
    expect(withProblem(s, "classification").dataset).toBe("circle");
  });
});

describe("playground state: URL round trip", () => {
  it("is exact for 500 random states, short and full", () => {
    const rng = createRng(2024);
    for (let i = 0; i < 500; i++) {
      const state = randomState(rng);
      for (const full of [false, true]) {
        const text = encodeState(state, { full });
        const decoded = decodeState(text);
        expect(decoded.problems, text).toEqual([]);
        expect(decoded.state, text).toEqual(state);
      }
    }
  });

  it("is exact at the edges", () => {
    const edges: Array<Partial<PlaygroundState>> = [
      { hiddenLayers: [] },
      { hiddenLayers: [8, 8, 8, 8, 8, 8] },
      { hiddenLayers: [1] },
      { features: ["sinx2"] },
      { features: ["sinx2", "x1sq", "x1", "x2", "x2sq", "x1x2", "sinx1"] },
      { noise: 50, trainRatio: 10, batchSize: 30 },
      { trainRatio: 90, batchSize: 1 },
      { learningRate: 0.00001, regularizationRate: 10 },
      { learningRate: 0.1 + 0.2, regularizationRate: 1e-7 },
      { learningRate: 0 },
      { seed: "a" },
      { seed: "0.12345" },
      { seed: "x".repeat(32) },
      { seed: "-._" },
      { dataset: "multigauss", problem: "regression" },
      { showTestData: true, discretize: true },
    ];
    for (const change of edges) {
      const state = { ...defaultState(), ...change };
      const text = encodeState(state);
      expect(decodeState(text), text).toEqual({ state, problems: [] });
      expect(decodeState(`#${text}`).state).toEqual(state);
      expect(decodeState(`?${text}`).state).toEqual(state);
    }
  });

  it("writes short keys and only what differs", () => {
    const state = {
      ...defaultState(),
      dataset: "xor" as const,
      hiddenLayers: [8, 3],
      learningRate: 0.1,
    };
    expect(encodeState(state)).toBe("d=xor&lr=0.1&h=8%2C3");
    expect(decodeState("d=xor&lr=0.1&h=8,3").state).toEqual(state);
    expect(encodeState({ ...defaultState(), hiddenLayers: [] })).toBe("h=");
    expect(encodeState(defaultState(), { full: true }).split("&")).toHaveLength(14);
  });
});

describe("playground state: invalid input", () => {
  const decode = (text: string): ReturnType<typeof decodeState> => decodeState(text);
  const keysOf = (text: string): string[] => decode(text).problems.map((p) => p.key);

  it("clamps values out of range and says so", () => {
    const { state, problems } = decode("n=80&tr=5&b=0&lr=50&rr=-1&h=4,9,0");
    expect(state).toMatchObject({
      noise: 50,
      trainRatio: 10,
      batchSize: 1,
      learningRate: 10,
      regularizationRate: 0,
      hiddenLayers: [4, 8, 1],
    });
    expect(problems.map((p) => p.key)).toEqual([
      "noise",
      "trainRatio",
      "batchSize",
      "learningRate",
      "regularizationRate",
      "hiddenLayers",
    ]);
    expect(problems[0]).toMatchObject({ value: "80" });
    expect(problems[0]?.message).toMatch(/50/);
    expect(decode("b=2.5").state.batchSize).toBe(3);
    expect(keysOf("b=2.5")).toEqual(["batchSize"]);
    expect(decode("h=1,1,1,1,1,1,1,1").state.hiddenLayers).toHaveLength(6);
    expect(keysOf("h=1,1,1,1,1,1,1,1")).toEqual(["hiddenLayers"]);
  });

  it("keeps the default for values it cannot read", () => {
    const bad = "d=moon&a=softmax&r=L3&n=lots&lr=&t=maybe&s=no%20spaces!&h=4,x&f=&p=z&q=2";
    const { state, problems } = decode(bad);
    expect(state).toEqual(defaultState());
    expect(problems.map((p) => p.key).sort()).toEqual(
      [
        "dataset",
        "activation",
        "regularization",
        "noise",
        "learningRate",
        "showTestData",
        "seed",
        "hiddenLayers",
        "features",
        "problem",
        "discretize",
      ].sort(),
    );
    expect(keysOf("s=" + "x".repeat(33))).toEqual(["seed"]);
    expect(keysOf("lr=Infinity")).toEqual(["learningRate"]);
    expect(keysOf("lr=0x10")).toEqual(["learningRate"]);
    expect(keysOf("n= 5")).toEqual(["noise"]);
  });

  it("drops unknown and repeated features", () => {
    const { state, problems } = decode("f=x1,foo,x1,x1x2");
    expect(state.features).toEqual(["x1", "x1x2"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/foo/);
    expect(problems[0]?.message).toMatch(/repeated/);
  });

  it("reports unknown keys, repeats, bad escapes", () => {
    expect(decode("zz=1&n=5").problems).toEqual([
      { key: "zz", value: "1", message: "unknown key" },
    ]);
    expect(decode("n=5&n=7")).toMatchObject({ state: { noise: 7 }, problems: [{ key: "noise" }] });
    expect(decode("s=%E0%A4%A&n=5")).toMatchObject({
      state: { noise: 5, seed: "flowdeck" },
      problems: [{ key: "seed" }],
    });
    expect(keysOf("&&n=5&")).toEqual([]);
  });

  it("lets the data set decide the problem type", () => {
    expect(decode("d=plane")).toEqual({
      state: { ...defaultState(), dataset: "plane", problem: "regression" },
      problems: [],
    });
    const mismatch = decode("d=plane&p=c");
    expect(mismatch.state).toMatchObject({ dataset: "plane", problem: "regression" });
    expect(mismatch.problems.map((p) => p.key)).toEqual(["problem"]);
    // a regression link without a data set gets classification's circle: the problem follows it
    expect(decode("p=r")).toMatchObject({
      state: { dataset: "circle", problem: "classification" },
      problems: [{ key: "problem" }],
    });
  });

  it("never throws, whatever it is given", () => {
    const rng = createRng(99);
    const alphabet = "=&%#?,.-_+ 0123456789abcdefghijklmnopqrstuvwxyzéÿ\u0000\uffff";
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: rng.int(40) }, () => pick(rng, [...alphabet])).join("");
      const { state, problems } = decodeState(text);
      expect(Array.isArray(problems)).toBe(true);
      // whatever came in, what comes out is a valid state that round-trips
      expect(decodeState(encodeState(state))).toEqual({ state, problems: [] });
    }
  });
});
