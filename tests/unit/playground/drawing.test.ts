import { describe, expect, it } from "vitest";
import { FEATURE_IDS } from "../../../src/ml/playground/features.ts";
import {
  colorOf,
  colorTable,
  fitScale,
  linkColor,
  linkWidth,
  lutIndex,
  LUT_SIZE,
  NEGATIVE,
  NEUTRAL,
  paintValues,
  POSITIVE,
} from "../../../src/ui/playground/colors.ts";
import { networkLayout, weightCount, weightOffsets } from "../../../src/ui/playground/layout.ts";
import { LossHistory, sampleIndices } from "../../../src/ui/playground/loss-history.ts";

describe("colours", () => {
  it("runs from orange through grey-white to blue, clamped", () => {
    expect(colorOf(-1)).toEqual([...NEGATIVE]);
    expect(colorOf(0)).toEqual([...NEUTRAL]);
    expect(colorOf(1)).toEqual([...POSITIVE]);
    expect(colorOf(5)).toEqual([...POSITIVE]);
    expect(colorOf(Number.NaN)).toEqual([...NEUTRAL]);
  });

  it("indexes the table, discretized or not", () => {
    expect(lutIndex(-1, false)).toBe(0);
    expect(lutIndex(1, false)).toBe(LUT_SIZE - 1);
    expect(lutIndex(0.01, true)).toBe(LUT_SIZE - 1);
    expect(lutIndex(-0.01, true)).toBe(0);
    const lut = colorTable();
    const pixels = new Uint32Array(2);
    paintValues(pixels, [-1, 1], lut);
    expect(pixels[0]! & 0xff).toBe(NEGATIVE[0]);
    expect((pixels[1]! >>> 16) & 0xff).toBe(POSITIVE[2]);
    expect(pixels[1]! >>> 24).toBe(255);
  });

  it("sizes links by weight and colours them by sign", () => {
    expect(linkWidth(0)).toBeLessThan(linkWidth(0.5));
    expect(linkWidth(-2)).toBe(linkWidth(2));
    expect(linkWidth(100)).toBe(7);
    expect(linkColor(1)).toBe(`rgb(${POSITIVE.join(",")})`);
    expect(linkColor(-1)).toBe(`rgb(${NEGATIVE.join(",")})`);
    expect(fitScale([0, -4, 2])).toBe(0.25);
    expect(fitScale([0, 0])).toBe(1);
  });
});

describe("network layout", () => {
  it("offsets match flattenWeights: kernel then bias, layer by layer", () => {
    expect(weightOffsets([2, 4, 2, 1])).toEqual({ kernel: [0, 12, 22], bias: [8, 20, 24] });
    expect(weightCount([2, 4, 2, 1])).toBe(25);
  });

  it("places every feature, links only the active ones, indexes each weight", () => {
    const size = { width: 500, height: 400, node: 30, pitch: 44, top: 50 };
    const layout = networkLayout(["x2", "x1x2"], [3], size);
    expect(layout.nodes[0]!.map((n) => n.feature)).toEqual([...FEATURE_IDS]);
    expect(layout.nodes[0]!.filter((n) => n.unit >= 0).map((n) => n.feature)).toEqual([
      "x2",
      "x1x2",
    ]);
    expect(layout.links).toHaveLength(2 * 3 + 3);
    const indices = layout.links.map((l) => l.index).sort((a, b) => a - b);
    // kernel 1 at 0..5, bias 1 at 6..8, kernel 2 at 9..11, bias 2 at 12
    expect(indices).toEqual([0, 1, 2, 3, 4, 5, 9, 10, 11]);
    const x1x2 = layout.links.find((l) => l.layer === 0 && l.from === 1 && l.to === 2)!;
    expect(x1x2.index).toBe(1 * 3 + 2);
    expect(layout.biasOffsets).toEqual([6, 12]);
    for (const column of layout.nodes)
      for (const n of column) {
        expect(n.x).toBeGreaterThanOrEqual(size.node / 2);
        expect(n.x).toBeLessThanOrEqual(size.width - size.node / 2);
        expect(n.y).toBeGreaterThan(size.top);
      }
  });
});

describe("loss history", () => {
  it("keeps one run's losses by epoch and starts again for a newer run", () => {
    const h = new LossHistory();
    h.add({ run: 0, triples: [0, 0.5, 0.6, 1, 0.4, 0.5] });
    h.add({ run: 0, triples: [2, 0.3, 0.35] });
    expect(h.length).toBe(3);
    expect(h.test).toEqual([0.6, 0.5, 0.35]);
    expect(h.max()).toBe(0.6);
    h.add({ run: 1, triples: [0, 0.9, 0.8] });
    expect(h.train).toEqual([0.9]);
    h.add({ run: 0, triples: [3, 0.1, 0.1] });
    expect(h.length).toBe(1);
  });

  it("fills the epochs between two measured ones on a straight line", () => {
    const h = new LossHistory();
    h.add({ run: 0, triples: [0, 0.8, 1.0, 4, 0.4, 0.6] });
    expect(h.train.map((v) => +v.toFixed(6))).toEqual([0.8, 0.7, 0.6, 0.5, 0.4]);
    expect(h.test.map((v) => +v.toFixed(6))).toEqual([1.0, 0.9, 0.8, 0.7, 0.6]);
  });

  it("samples at most n indices, first and last included", () => {
    expect(sampleIndices(3, 10)).toEqual([0, 1, 2]);
    const s = sampleIndices(1000, 5);
    expect(s).toEqual([0, 250, 500, 749, 999]);
    expect(sampleIndices(0, 5)).toEqual([]);
  });
});
