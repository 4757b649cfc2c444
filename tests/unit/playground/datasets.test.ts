import { describe, expect, it } from "vitest";
import {
  CLASSIFICATION_DATASETS,
  DATASET_IDS,
  DATASETS,
  REGRESSION_DATASETS,
  generateDataset,
  multigaussTarget,
  splitTrainTest,
  type Point,
} from "../../../src/ml/playground/datasets.ts";

const count = (points: Point[], label: number): number =>
  points.filter((p) => p.label === label).length;

describe("data set generators", () => {
  it.each(DATASET_IDS)("%s: default size, points inside [-6, 6]², labels in range", (id) => {
    for (const noise of [0, 25, 50]) {
      const points = generateDataset(id, { noise, seed: "s" });
      expect(points).toHaveLength(DATASETS[id].problem === "classification" ? 500 : 1200);
      for (const p of points) {
        expect(Math.abs(p.x)).toBeLessThanOrEqual(6);
        expect(Math.abs(p.y)).toBeLessThanOrEqual(6);
        if (DATASETS[id].problem === "classification") expect([1, -1]).toContain(p.label);
        else expect(Math.abs(p.label)).toBeLessThanOrEqual(1);
      }
    }
    expect(generateDataset(id, { numPoints: 101 })).toHaveLength(101);
    expect(generateDataset(id, { numPoints: 0 })).toEqual([]);
  });

  it.each(CLASSIFICATION_DATASETS)("%s: the two classes are balanced", (id) => {
    const points = generateDataset(id, { seed: "balance", noise: 30 });
    expect(count(points, 1)).toBe(250);
    expect(count(points, -1)).toBe(250);
    const odd = generateDataset(id, { numPoints: 101 });
    expect(Math.abs(count(odd, 1) - count(odd, -1))).toBe(1);
  });

  it.each(REGRESSION_DATASETS)("%s: targets span the range", (id) => {
    const points = generateDataset(id, { seed: "span" });
    const labels = points.map((p) => p.label);
    expect(Math.min(...labels)).toBeLessThan(-0.6);
    expect(Math.max(...labels)).toBeGreaterThan(0.6);
  });

  it.each(DATASET_IDS)("%s: same seed, same points; noise moves them", (id) => {
    const a = generateDataset(id, { seed: "one", noise: 20 });
    expect(generateDataset(id, { seed: "one", noise: 20 })).toEqual(a);
    expect(generateDataset(id, { seed: "one", noise: 0 })).not.toEqual(a);
    expect(generateDataset(id, { seed: "one", noise: 21 })).not.toEqual(a);
    expect(generateDataset(id, { seed: "two", noise: 20 })).not.toEqual(a);
  });

  it("spiral without noise is the same for every seed (its points are evenly spaced)", () => {
    expect(generateDataset("spiral", { seed: "one" })).toEqual(
      generateDataset("spiral", { seed: "two" }),
    );
  });

  it("noiseless shapes are what they claim", () => {
    for (const p of generateDataset("circle", { seed: "c" })) {
      const r = Math.hypot(p.x, p.y);
      if (p.label === 1) expect(r).toBeLessThanOrEqual(2.5);
      else expect(r).toBeGreaterThanOrEqual(3.5 - 1e-12);
    }
    for (const p of generateDataset("xor", { seed: "x" })) {
      expect(Math.sign(p.x * p.y)).toBe(p.label);
      expect(Math.min(Math.abs(p.x), Math.abs(p.y))).toBeGreaterThanOrEqual(0.3);
    }
    const gauss = generateDataset("gauss", { seed: "g" });
    const mean = (ps: Point[], f: (p: Point) => number): number =>
      ps.reduce((s, p) => s + f(p), 0) / ps.length;
    const pos = gauss.filter((p) => p.label === 1);
    const neg = gauss.filter((p) => p.label === -1);
    expect(mean(pos, (p) => p.x)).toBeCloseTo(2, 0);
    expect(mean(pos, (p) => p.y)).toBeCloseTo(2, 0);
    expect(mean(neg, (p) => p.x)).toBeCloseTo(-2, 0);
    expect(mean(neg, (p) => p.y)).toBeCloseTo(-2, 0);
    const spiral = generateDataset("spiral", {});
    expect(Math.max(...spiral.map((p) => Math.hypot(p.x, p.y)))).toBeLessThanOrEqual(5);
    for (const p of generateDataset("plane", { seed: "p" }))
      expect(p.label).toBeCloseTo((p.x + p.y) / 12, 12);
    for (const p of generateDataset("multigauss", { seed: "m" })) {
      expect(p.label).toBeCloseTo(multigaussTarget(p.x, p.y), 12);
    }
  });

  it("noise puts points on the other class's side", () => {
    const wrong = (noise: number): number =>
      generateDataset("xor", { seed: "w", noise }).filter((p) => Math.sign(p.x * p.y) !== p.label)
        .length;
    expect(wrong(0)).toBe(0);
    expect(wrong(10)).toBeGreaterThan(0);
    expect(wrong(50)).toBeGreaterThan(wrong(10));
    const spreadOf = (noise: number): number => {
      const ps = generateDataset("gauss", { seed: "w", noise }).filter((p) => p.label === 1);
      return ps.reduce((s, p) => s + (p.x - 2) ** 2, 0) / ps.length;
    };
    expect(spreadOf(40)).toBeGreaterThan(2 * spreadOf(0));
  });
});

describe("train/test split", () => {
  const points = generateDataset("circle", { seed: "split" });

  it("takes floor(n · ratio / 100) points for training and the rest for testing", () => {
    for (const ratio of [10, 33, 50, 90]) {
      const { train, test } = splitTrainTest(points, ratio, "s");
      expect(train).toHaveLength(Math.floor((500 * ratio) / 100));
      expect(train.length + test.length).toBe(500);
      expect(new Set([...train, ...test]).size).toBe(500);
    }
    expect(splitTrainTest(points.slice(0, 7), 50, "s").train).toHaveLength(3);
  });

  it("shuffles with the seed", () => {
    const a = splitTrainTest(points, 50, "s");
    expect(splitTrainTest(points, 50, "s")).toEqual(a);
    expect(splitTrainTest(points, 50, "t").train).not.toEqual(a.train);
    // a shuffle, not the first half: both classes are in the training set
    expect(count(a.train, 1)).toBeGreaterThan(90);
    expect(count(a.train, -1)).toBeGreaterThan(90);
  });
});
