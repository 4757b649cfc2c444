import { describe, expect, it } from "vitest";
import type { LabelledImages } from "../../../src/ml/mnist/idx.ts";
import { permutation, pick, splitHeldOut } from "../../../src/ml/mnist/split.ts";

/** n 1×1 images whose single pixel is the image's index (mod 256), labelled index mod 10. */
function numbered(n: number): LabelledImages {
  return {
    count: n,
    rows: 1,
    cols: 2,
    images: Uint8Array.from({ length: 2 * n }, (_, i) => Math.floor(i / 2) % 256),
    labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
  };
}

describe("splitHeldOut", () => {
  it("is the same for the same seed and differs for another", () => {
    const set = numbered(1000);
    const a = splitHeldOut(set, { heldOut: 200, seed: 5 });
    const b = splitHeldOut(set, { heldOut: 200, seed: 5 });
    const c = splitHeldOut(set, { heldOut: 200, seed: 6 });
    expect(a.heldOutIndices).toEqual(b.heldOutIndices);
    expect(a.train.images).toEqual(b.train.images);
    expect(a.heldOutIndices).not.toEqual(c.heldOutIndices);
  });

  it("pins the default split (8,000 / 2,000 of the MNIST test set): changing it changes the held-out set", () => {
    const { heldOutIndices, trainIndices } = splitHeldOut(numbered(10_000));
    expect(heldOutIndices.length).toBe(2000);
    expect(trainIndices.length).toBe(8000);
    expect([...heldOutIndices.subarray(0, 5)]).toMatchInlineSnapshot(`
      [
        1534,
        496,
        2224,
        1895,
        9698,
      ]
    `);
  });

  it("partitions the set: disjoint parts that together hold every image once", () => {
    const set = numbered(500);
    const { train, heldOut, trainIndices, heldOutIndices } = splitHeldOut(set, { heldOut: 100 });
    expect(train.count + heldOut.count).toBe(500);
    const all = [...trainIndices, ...heldOutIndices].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 500 }, (_, i) => i));
    // Each part carries its own images and labels, in the order of its indices.
    heldOutIndices.forEach((index, k) => {
      expect(heldOut.labels[k]).toBe(index % 10);
      expect(heldOut.images[2 * k]).toBe(index % 256);
    });
  });

  it("rejects sizes that leave a part empty", () => {
    expect(() => splitHeldOut(numbered(10), { heldOut: 0 })).toThrow(RangeError);
    expect(() => splitHeldOut(numbered(10), { heldOut: 10 })).toThrow(RangeError);
  });
});

describe("permutation and pick", () => {
  it("permutes every index once", () => {
    expect([...permutation(50, 1)].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it("rejects indices outside the set", () => {
    expect(() => pick(numbered(3), [3])).toThrow(RangeError);
  });
});
