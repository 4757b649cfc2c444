import { describe, expect, it } from "vitest";
import { createRng, rngFor, seedFromString } from "../../../src/ml/playground/random.ts";

const draw = (seed: number, n: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe("seeded random numbers", () => {
  it("repeats a sequence for a seed and changes it with the seed", () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
    expect(draw(42, 100)).not.toEqual(draw(43, 100));
  });

  it("draws uniformly in [0, 1) and in a given range", () => {
    const rng = createRng(7);
    const xs = Array.from({ length: 20000 }, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 2);
    // each tenth of the interval gets about a tenth of the draws
    const bins = new Array<number>(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]! += 1;
    for (const count of bins) expect(Math.abs(count - 2000)).toBeLessThan(200);
    const ys = Array.from({ length: 1000 }, () => rng.uniform(-6, 6));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(-6);
    expect(Math.max(...ys)).toBeLessThan(6);
    const ints = new Set(Array.from({ length: 1000 }, () => rng.int(5)));
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("draws normal numbers with the asked mean and spread", () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 20000 }, () => rng.normal(2, 3));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(2, 1);
    expect(sd).toBeCloseTo(3, 1);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it("shuffles a copy into a permutation, deterministically", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = createRng(5).shuffle(items);
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(a).not.toEqual(items);
    expect(createRng(5).shuffle(items)).toEqual(a);
    expect(createRng(6).shuffle(items)).not.toEqual(a);
  });

  it("turns strings into well-spread seeds and separate streams", () => {
    expect(seedFromString("flowdeck")).toBe(seedFromString("flowdeck"));
    const seeds = new Set(["a", "b", "ab", "ba", "", "0.12345", "0.12346"].map(seedFromString));
    expect(seeds.size).toBe(7);
    for (const s of seeds) expect(s).toBe(s >>> 0);
    expect(rngFor("x", "data").next()).not.toBe(rngFor("x", "weights").next());
    expect(rngFor("x", "data").next()).toBe(rngFor("x", "data").next());
  });
});
