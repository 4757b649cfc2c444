import { describe, expect, it } from "vitest";
import { balancedSplit, layerWork, stageWork } from "../../../src/ml/parallelism/balance.ts";
import { MLP_SIZES, SPLIT } from "../../../src/ml/parallelism/mlp.ts";

describe("balancing two pipeline stages", () => {
  it("counts a stage's forward, backward and re-materialised forward", () => {
    expect(layerWork([4, 3, 2])).toEqual([12, 6]);
    expect(stageWork([4, 3, 2], 0, 1)).toBe(4 * 12); // not the last: forward twice
    expect(stageWork([4, 3, 2], 1, 2)).toBe(3 * 6);
  });

  it("cuts the deck's network after its first layer, the stages within 1.4× of each other", () => {
    const b = balancedSplit(MLP_SIZES);
    expect(b.split).toBe(SPLIT);
    expect(b.ratio).toBeLessThan(1.4);
  });

  it("moves the cut to wherever the work is", () => {
    // a wide last layer: the cut moves late, so the last stage holds little besides it
    expect(balancedSplit([100, 100, 100, 100, 4000]).split).toBe(3);
    // a heavy first layer alone outweighs the rest
    expect(balancedSplit([4000, 100, 100, 100, 10]).split).toBe(1);
    // equal layers: 3 + 3 and 2 + 4 leave the same slower stage; 3 + 3 is the closer pair
    const even = balancedSplit([100, 100, 100, 100, 100, 100, 100]);
    expect(even.split).toBe(3);
    expect(even.work).toEqual([3 * 4 * 10_000, 3 * 3 * 10_000]);
  });

  it("needs two layers", () => {
    expect(() => balancedSplit([784, 10])).toThrow(RangeError);
  });
});
