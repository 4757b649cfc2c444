import { describe, expect, it } from "vitest";
import { lineRuns, parseLineSteps } from "../../src/view/line-steps.ts";

describe("line highlights (src/view/line-steps.ts)", () => {
  it("reads reveal's steps: lines, ranges and lists", () => {
    expect(parseLineSteps("2|3-5|6,8")).toEqual([[2], [3, 4, 5], [6, 8]]);
    expect(parseLineSteps("5-3")).toEqual([[3, 4, 5]]);
  });
  it("drops what is not a line", () => {
    expect(parseLineSteps("|x|0|2")).toEqual([[2]]);
    expect(parseLineSteps("")).toEqual([]);
  });
  it("draws consecutive lines as one band", () => {
    expect(lineRuns([1, 2, 3, 5, 7, 8])).toEqual([
      [1, 3],
      [5, 1],
      [7, 2],
    ]);
  });
});
