import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeMnist, gunzip, IdxError, isGzip, parseIdx } from "../../../src/ml/mnist/idx.ts";

/** An IDX file of unsigned bytes with the given shape and data. */
function idx(shape: number[], data: number[], type = 0x08): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = shape.length;
  shape.forEach((size, d) => view.setUint32(4 + 4 * d, size));
  bytes.set(data, 4 + 4 * shape.length);
  return bytes;
}

const images = (count: number) =>
  idx(
    [count, 2, 2],
    Array.from({ length: count * 4 }, (_, i) => i),
  );
const labels = (values: number[]) => idx([values.length], values);

describe("parseIdx", () => {
  it("reads the shape and the data, big-endian", () => {
    const parsed = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]));
    expect(parsed.shape).toEqual([2, 3]);
    expect([...parsed.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parseIdx(idx([256 + 1], new Array(257).fill(7))).shape).toEqual([257]);
  });

  it.each([
    ["too short", new Uint8Array([0, 0, 8])],
    [
      "a bad magic",
      (() => {
        const b = idx([1], [0]);
        b[0] = 1;
        return b;
      })(),
    ],
    ["a non-byte element type", idx([1], [0], 0x0d)],
    ["zero dimensions", idx([], [])],
    ["a truncated header", idx([1, 1, 1], [0]).subarray(0, 10)],
    ["missing data", idx([2, 2], [1, 2, 3])],
    ["extra data", idx([1], [1, 2])],
  ])("rejects %s", (_, bytes) => {
    expect(() => parseIdx(bytes)).toThrow(IdxError);
  });
});

describe("decodeMnist", () => {
  it("pairs images with labels", () => {
    const set = decodeMnist(images(3), labels([7, 0, 9]));
    expect(set).toMatchObject({ count: 3, rows: 2, cols: 2 });
    expect([...set.labels]).toEqual([7, 0, 9]);
    expect([...set.images.subarray(4, 8)]).toEqual([4, 5, 6, 7]);
  });

  it("rejects swapped files, count mismatches and labels that are not digits", () => {
    expect(() => decodeMnist(labels([1]), images(1))).toThrow(/expected 3 dimensions/);
    expect(() => decodeMnist(images(2), labels([1]))).toThrow(/2 images but 1 labels/);
    expect(() => decodeMnist(images(1), labels([10]))).toThrow(/not a digit/);
  });
});

describe("gunzip", () => {
  it("decompresses gzip and passes other bytes through", async () => {
    const raw = images(2);
    const zipped = new Uint8Array(gzipSync(raw));
    expect(isGzip(zipped)).toBe(true);
    expect(await gunzip(zipped)).toEqual(raw);
    expect(await gunzip(raw)).toBe(raw);
  });

  it("reports corrupt gzip as an IdxError", async () => {
    const zipped = new Uint8Array(gzipSync(images(50)));
    await expect(gunzip(zipped.subarray(0, 30))).rejects.toThrow(IdxError);
  });
});

describe("the project's MNIST copy", () => {
  it("is the real test set (label counts from its README)", async () => {
    const read = (name: string) =>
      gunzip(
        new Uint8Array(
          readFileSync(new URL(`../../../public/data/mnist/${name}`, import.meta.url)),
        ),
      );
    const set = decodeMnist(
      await read("t10k-images-idx3-ubyte.gz"),
      await read("t10k-labels-idx1-ubyte.gz"),
    );
    expect(set).toMatchObject({ count: 10_000, rows: 28, cols: 28 });
    const counts = new Array<number>(10).fill(0);
    for (const label of set.labels) counts[label]!++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });
});
