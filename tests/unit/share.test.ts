import { describe, expect, it } from "vitest";
import { isShareable, readShared, seededRandom, writeShared } from "../../src/workshop/share.ts";

describe("shared links", () => {
  it("round-trip input values and edited code through the query string", () => {
    const search = writeShared("?n=tensorflow&seed=7", {
      inputs: { x0: 1.25, pick: "relu", flags: [true, false] },
      code: { grad: "const f = (x) => x.square(); // ünïcödé" },
    });
    expect(search).toMatch(/^\?n=tensorflow&seed=7&in=[\w-]+&code=[\w-]+$/);
    expect(readShared(search)).toEqual({
      inputs: { x0: 1.25, pick: "relu", flags: [true, false] },
      code: { grad: "const f = (x) => x.square(); // ünïcödé" },
    });
    expect(writeShared(search, { code: {} })).not.toContain("code=");
  });

  it("ignores a damaged link instead of failing", () => {
    expect(readShared("?in=%%%&code=bm90IGpzb24")).toEqual({ inputs: {}, code: {} });
  });

  it("keeps only values JSON carries exactly", () => {
    expect([1, "a", true, null, [1, 2]].every(isShareable)).toBe(true);
    expect([NaN, Infinity, new Date(), { a: 1 }, () => 1, undefined].some(isShareable)).toBe(false);
  });

  it("seeds the same random numbers for the same seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(first[0]);
  });
});
