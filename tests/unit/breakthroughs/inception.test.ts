import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import {
  INCEPTION_3A,
  compareReductions,
  costOf,
  inceptionModule,
} from "../../../src/ml/breakthroughs/inception.ts";

describe("inception module cost", () => {
  it("counts inception (3a) by hand: weights and multiply-adds with and without reductions", () => {
    const { naive, reduced } = compareReductions(tf, INCEPTION_3A);
    // with reductions: 1×1 192→64, 1×1 192→96, 3×3 96→128, 1×1 192→16, 5×5 16→32, 1×1 192→32
    const reducedKernels = 192 * 64 + 192 * 96 + 9 * 96 * 128 + 192 * 16 + 25 * 16 * 32 + 192 * 32;
    expect(reducedKernels).toBe(163_328);
    expect(reduced.params).toBe(reducedKernels + 64 + 96 + 128 + 16 + 32 + 32);
    expect(reduced.params).toBe(163_696);
    expect(reduced.macs).toBe(28 * 28 * reducedKernels); // 128 M, the paper's "ops" for 3a
    expect(reduced.macs).toBe(128_049_152);
    expect(reduced.outputShape).toEqual([28, 28, 256]);
    // naive: 1×1 192→64, 3×3 192→128, 5×5 192→32, the pooled 192 channels passed through
    const naiveKernels = 192 * 64 + 9 * 192 * 128 + 25 * 192 * 32;
    expect(naive.params).toBe(naiveKernels + 64 + 128 + 32);
    expect(naive.params).toBe(387_296);
    expect(naive.macs).toBe(303_464_448);
    expect(naive.outputShape).toEqual([28, 28, 64 + 128 + 32 + 192]);
  });

  it("counts a small module layer by layer", () => {
    const model = inceptionModule(tf, {
      size: 4,
      inChannels: 2,
      channels: { b1: 1, b3r: 1, b3: 2, b5r: 1, b5: 1, pool: 1 },
    });
    const cost = costOf(model);
    const byName = Object.fromEntries(cost.layers.map((l) => [l.name, l]));
    expect(byName["inception/3x3/conv_3x3"]).toMatchObject({
      params: 9 * 1 * 2 + 2,
      macs: 16 * 18,
    });
    expect(byName["inception/5x5/conv_5x5"]).toMatchObject({ params: 26, macs: 16 * 25 });
    expect(byName["inception/pool/max_3x3"]).toMatchObject({ params: 0, macs: 0 });
    expect(cost.params).toBe(3 + 3 + 20 + 3 + 26 + 3);
    expect(cost.outputShape).toEqual([4, 4, 1 + 2 + 1 + 1]);
    model.dispose();
  });

  it("refuses channel counts that are not positive whole numbers", () => {
    expect(() =>
      inceptionModule(tf, { size: 8, inChannels: 0, channels: INCEPTION_3A.channels }),
    ).toThrow(/inChannels must be a whole number/);
  });
});
