/** The retrain chart's accuracy axis starts near the run's first evaluation, on a tick. */
import { describe, expect, it } from "vitest";
import { accuracyFloor } from "../../../src/ui/digits/training-view.ts";

describe("accuracyFloor", () => {
  it("starts a little below the lowest evaluation, on a tick", () => {
    expect(accuracyFloor(0.804)).toBe(0.7);
    expect(accuracyFloor(0.853)).toBe(0.8);
    expect(accuracyFloor(0.5)).toBe(0.25);
  });
  it("keeps the 95 % target inside and never goes below 0", () => {
    expect(accuracyFloor(0.99)).toBe(0.9);
    expect(accuracyFloor(0.1)).toBe(0);
    expect(accuracyFloor(0)).toBe(0);
  });
});
