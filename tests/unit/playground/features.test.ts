import { describe, expect, it } from "vitest";
import {
  FEATURE_IDS,
  FEATURES,
  featureVector,
  featurize,
  isFeatureId,
} from "../../../src/ml/playground/features.ts";

describe("input features", () => {
  it("has the seven features of the Playground", () => {
    expect(FEATURE_IDS).toEqual(["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]);
    for (const id of FEATURE_IDS) expect(FEATURES[id].id).toBe(id);
    expect(isFeatureId("x1x2")).toBe(true);
    expect(isFeatureId("x3")).toBe(false);
  });

  it("computes each feature from a point", () => {
    const [x1, x2] = [1.5, -2];
    expect(featureVector(x1, x2, [...FEATURE_IDS])).toEqual([
      1.5,
      -2,
      2.25,
      4,
      -3,
      Math.sin(1.5),
      Math.sin(-2),
    ]);
  });

  it("featurizes points in the order the features are selected", () => {
    const points = [
      { x: 1, y: 2, label: 1 },
      { x: -3, y: 0.5, label: -1 },
    ];
    expect(featurize(points, ["x2", "x1x2"])).toEqual([
      { input: [2, 2], target: 1 },
      { input: [0.5, -1.5], target: -1 },
    ]);
    expect(featurize(points, ["x1x2", "x2"])[0]?.input).toEqual([2, 2]);
    expect(featurize(points, ["x1sq"])[1]).toEqual({ input: [9], target: -1 });
  });
});
