import { describe, expect, it } from "vitest";
import {
  broadcastRules,
  broadcastShape,
  concatShape,
  indexNotation,
  indexOf,
  matMulShape,
  offsetOf,
  reshapeTo,
  stridesOf,
  transposeShape,
} from "../../../src/ml/tensors/layout.ts";

describe("tensor layout", () => {
  it("gives row-major strides", () => {
    expect(stridesOf([])).toEqual([]);
    expect(stridesOf([5])).toEqual([1]);
    expect(stridesOf([2, 3])).toEqual([3, 1]);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([28, 28, 3])).toEqual([84, 3, 1]);
  });

  it("maps indices to flat offsets and back", () => {
    expect(offsetOf([], [])).toBe(0);
    expect(offsetOf([1, 2], [2, 3])).toBe(5);
    expect(offsetOf([1, 2, 3], [2, 3, 4])).toBe(23);
    const shape = [2, 3, 2, 2];
    for (let k = 0; k < 24; k++) expect(offsetOf(indexOf(k, shape), shape)).toBe(k);
    expect(indexOf(23, [2, 3, 4])).toEqual([1, 2, 3]);
  });

  it("refuses indices outside the tensor, saying which axis", () => {
    expect(() => offsetOf([2, 0], [2, 3])).toThrow(
      /index 2 is outside axis 0, which has 2 entries/,
    );
    expect(() => offsetOf([1], [2, 3])).toThrow(/needs 2 indices, got 1/);
    expect(() => indexOf(6, [2, 3])).toThrow(/outside a tensor of 6 values/);
  });

  it("applies the broadcasting rule with reasons", () => {
    expect(broadcastShape([12, 1], [1, 12])).toEqual([12, 12]);
    expect(broadcastShape([4, 3], [3])).toEqual([4, 3]);
    expect(broadcastShape([], [2, 2])).toEqual([2, 2]);
    expect(broadcastShape([8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
    expect(broadcastRules([4, 1], [3]).map((r) => r.rule)).toEqual([
      "missing in b",
      "a is 1, stretched",
    ]);
  });

  it("says which axes clash when shapes do not broadcast", () => {
    expect(() => broadcastShape([2, 3], [2])).toThrow(
      /shapes \[2, 3\] and \[2\] do not broadcast: aligned on the right, axis 1 has 3 against 2/,
    );
  });

  it("infers −1 in reshape and refuses sizes that do not fit", () => {
    expect(reshapeTo([7, 7], [-1])).toEqual([49]);
    expect(reshapeTo([2, 3, 4], [4, -1])).toEqual([4, 6]);
    expect(() => reshapeTo([2, 3], [4, -1])).toThrow(/6 is not a multiple of 4/);
    expect(() => reshapeTo([2, 3], [5])).toThrow(/\(6 values\) into \[5\] \(5 values\)/);
    expect(() => reshapeTo([2, 3], [-1, -1])).toThrow(/only one axis/);
  });

  it("gives the shapes of transpose, concat and matMul", () => {
    expect(transposeShape([2, 3, 4])).toEqual([4, 3, 2]);
    expect(transposeShape([2, 3, 4], [0, 2, 1])).toEqual([2, 4, 3]);
    expect(() => transposeShape([2, 3], [0, 0])).toThrow(/not a permutation/);
    expect(
      concatShape(
        [
          [2, 3],
          [4, 3],
        ],
        0,
      ),
    ).toEqual([6, 3]);
    expect(() =>
      concatShape(
        [
          [2, 3],
          [2, 4],
        ],
        0,
      ),
    ).toThrow(/other axes must be equal/);
    expect(matMulShape([2, 3], [3, 5])).toEqual([2, 5]);
    expect(() => matMulShape([2, 3], [2, 5])).toThrow(/inner sizes 3 and 2 must be equal/);
  });

  it("writes the slides' notation", () => {
    expect(indexNotation("m", [1, 2])).toBe("m[1][2]");
  });
});
