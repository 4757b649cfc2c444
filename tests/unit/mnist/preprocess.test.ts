import { describe, expect, it } from "vitest";
import {
  centreOfMass,
  inkBounds,
  inkFromRgba,
  resample,
  toMnist,
} from "../../../src/ml/mnist/preprocess.ts";

/** A w×h image with a filled rectangle of ink. */
function rect(w: number, h: number, x0: number, y0: number, rw: number, rh: number): Float32Array {
  const ink = new Float32Array(w * h);
  for (let y = y0; y < y0 + rh; y++) for (let x = x0; x < x0 + rw; x++) ink[y * w + x] = 1;
  return ink;
}

function bounds28(image: Float32Array) {
  return inkBounds(image, 28, 28, 0.01);
}

describe("toMnist", () => {
  it("gives all zeros for an empty drawing", () => {
    expect(toMnist(new Float32Array(100 * 100), 100, 100).every((v) => v === 0)).toBe(true);
  });

  it("scales the ink's box to 20 pixels on its longer side, keeping the aspect ratio", () => {
    // a tall bar in a corner of a 280×280 canvas: 40 wide, 200 tall
    const out = toMnist(rect(280, 280, 10, 5, 40, 200), 280, 280);
    expect(bounds28(out)).toMatchObject({ width: 4, height: 20 });
    expect(Math.max(...out)).toBeCloseTo(1, 5);
  });

  it("centres the ink by its centre of mass, wherever it was drawn", () => {
    for (const [x, y] of [
      [0, 0],
      [200, 150],
      [90, 30],
    ] as const) {
      const out = toMnist(rect(280, 280, x, y, 60, 80), 280, 280);
      const c = centreOfMass(out, 28, 28);
      expect(Math.abs(c.x - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(c.y - 14)).toBeLessThanOrEqual(0.5);
    }
  });

  it("keeps an off-centre mass inside the image", () => {
    // an L: the mass sits low and left, the shift is clamped so that nothing is cut off
    const ink = rect(100, 100, 0, 0, 10, 100);
    for (let y = 90; y < 100; y++) for (let x = 0; x < 100; x++) ink[y * 100 + x] = 1;
    const out = toMnist(ink, 100, 100);
    const total = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
    const expected = total(resample(ink, 100, 100, 20, 20));
    expect(total(out)).toBeCloseTo(expected, 3);
  });
});

describe("resample", () => {
  it("averages areas: the mean is kept and a uniform image stays uniform", () => {
    const ink = Float32Array.from({ length: 30 * 30 }, (_, i) => (i % 7) / 7);
    const small = resample(ink, 30, 30, 20, 20);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(small)).toBeCloseTo(mean(ink), 4);
    expect(
      resample(new Float32Array(9).fill(0.5), 3, 3, 2, 2).every((v) => Math.abs(v - 0.5) < 1e-6),
    ).toBe(true);
  });
});

describe("inkFromRgba", () => {
  it("reads ink from the alpha channel", () => {
    expect([...inkFromRgba([0, 0, 0, 255, 9, 9, 9, 0], 2, 1)]).toEqual([1, 0]);
  });
});
