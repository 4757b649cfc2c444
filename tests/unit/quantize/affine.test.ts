import { describe, expect, it } from "vitest";
import {
  dequantize,
  errorBound,
  quantize,
  quantizedBytes,
  wireBytes,
} from "../../../src/ml/quantize/affine.ts";
import { ErrorFeedback } from "../../../src/ml/quantize/error-feedback.ts";
import { seededRandom } from "../../../src/workshop/share.ts";

function normal(count: number, sd: number, seed = 7): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => {
    const u = 1 - random();
    return sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
}

const maxError = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

describe("affine quantization", () => {
  it.each([8, 16] as const)("round-trips %i bits within half a step", (bits) => {
    const data = normal(10_000, 1e-3);
    const q = quantize(data, bits);
    const back = dequantize(q);
    const error = maxError(data, back);
    expect(error).toBeLessThanOrEqual(errorBound(q));
    // the bound is tight: half a step of the range, not a loose multiple
    const range = Math.max(...data) - Math.min(...data);
    expect(errorBound(q)).toBeLessThan((range / (2 ** bits - 1)) * 0.55);
    expect(error).toBeGreaterThan(errorBound(q) * 0.5);
  });

  it("keeps the ends of the range exactly", () => {
    const data = Float32Array.from([-2, 0.3, 5]);
    const back = dequantize(quantize(data, 8));
    expect(back[0]).toBeCloseTo(-2, 6);
    expect(back[2]).toBeCloseTo(5, 5);
  });

  it("maps a constant tensor to itself", () => {
    const data = new Float32Array(5).fill(0.25);
    expect(Array.from(dequantize(quantize(data, 8)))).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
  });

  it("per channel beats per tensor when channels have different ranges", () => {
    // two channels interleaved along the last axis: one tiny, one large
    const data = Float32Array.from({ length: 2000 }, (_, i) =>
      i % 2 === 0 ? Math.sin(i) * 1e-3 : Math.cos(i) * 10,
    );
    const small = (x: Float32Array) => x.filter((_, i) => i % 2 === 0);
    const perTensor = maxError(small(data), small(dequantize(quantize(data, 8))));
    const perChannel = maxError(small(data), small(dequantize(quantize(data, 8, { channels: 2 }))));
    expect(perChannel).toBeLessThan(perTensor / 100);
  });

  it("refuses values it cannot represent and channel counts that do not divide", () => {
    expect(() => quantize(Float32Array.from([1, NaN]), 8)).toThrow(/NaN/);
    expect(() => quantize(Float32Array.from([1, Infinity]), 8)).toThrow(/Infinity/);
    expect(() => quantize(new Float32Array(5), 8, { channels: 2 })).toThrow(/channels/);
  });

  it("counts the bytes on the wire", () => {
    const q = quantize(new Float32Array(1000), 8);
    expect(quantizedBytes(q)).toBe(1008);
    expect(wireBytes(1000, 8)).toBe(1008);
    expect(wireBytes(1000, 16)).toBe(2008);
    expect(wireBytes(1000, 32)).toBe(4000);
  });
});

describe("error feedback", () => {
  it("delivers over many steps what plain quantization rounds away", () => {
    // small entries far below one 8-bit step: plain rounding gets them wrong at every step
    const gradient = Float32Array.from({ length: 256 }, (_, i) =>
      i === 0 ? 1 : i === 1 ? -1 : 1e-4,
    );
    const feedback = new ErrorFeedback();
    const plainSum = new Float64Array(256);
    const fedSum = new Float64Array(256);
    const steps = 2000;
    for (let s = 0; s < steps; s++) {
      dequantize(quantize(gradient, 8)).forEach((x, i) => (plainSum[i]! += x));
      dequantize(feedback.compress(gradient, 8)).forEach((x, i) => (fedSum[i]! += x));
    }
    const want = 1e-4 * steps;
    expect(Math.abs(fedSum[5]! - want)).toBeLessThan(want * 0.05);
    expect(Math.abs(plainSum[5]! - want)).toBeGreaterThan(want * 0.2);
    expect(feedback.owed).toBeLessThan(2 / 255);
  });
});
