import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import {
  compareInt8,
  matMulFloat32,
  matMulInt8,
  quantizeInt8,
} from "../../../src/ml/breakthroughs/int8.ts";
import { logHistogram, quantizeModel } from "../../../src/ml/breakthroughs/quantized-model.ts";
import { createDigitModel, disposeDigitModel } from "../../../src/ml/mnist/model.ts";

const maxAbs = (a: Float32Array) => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe("a quantized model", () => {
  it.each([
    [8, false],
    [8, true],
    [16, false],
    [16, true],
  ] as const)(
    "round-trips every weight at %i bits (per channel: %s) within the bound",
    async (bits, perChannel) => {
      const model = createDigitModel(tf, { seed: 2 });
      const q = await quantizeModel(tf, model, { bits, perChannel });
      expect(q.errors.length).toBe(model.countParams());
      expect(maxAbs(q.errors)).toBeLessThanOrEqual(q.bound);
      expect(q.floatBytes).toBe(model.countParams() * 4);
      // integers of bits/8 bytes each, plus a min and a scale per channel (5 tensors: 4 per-tensor biases…)
      expect(q.bytes).toBeGreaterThanOrEqual((model.countParams() * bits) / 8);
      expect(q.bytes).toBeLessThan((model.countParams() * bits) / 8 + 8 * 200);
      // the copy computes with the rounded weights: the same weights, moved by the errors
      const original = await model.getWeights()[0]!.data();
      const rounded = await q.model.getWeights()[0]!.data();
      expect(Math.abs(rounded[5]! - original[5]! - q.errors[5]!)).toBeLessThan(1e-6);
      q.model.dispose();
      disposeDigitModel(model);
    },
  );

  it("has smaller errors per channel than per tensor, and 16 bits ~256× smaller than 8", async () => {
    const model = createDigitModel(tf, { seed: 3 });
    const run = (bits: 8 | 16, perChannel: boolean) =>
      quantizeModel(tf, model, { bits, perChannel });
    const [t8, c8, t16] = await Promise.all([run(8, false), run(8, true), run(16, false)]);
    const rms = (e: Float32Array) => Math.sqrt(e.reduce((s, x) => s + x * x, 0) / e.length);
    expect(rms(c8.errors)).toBeLessThan(rms(t8.errors));
    expect(rms(t8.errors) / rms(t16.errors)).toBeGreaterThan(150);
    for (const q of [t8, c8, t16]) q.model.dispose();
    disposeDigitModel(model);
  });

  it("bins absolute errors by decade", () => {
    const bins = logHistogram(Float32Array.from([0, 2e-5, -3e-5, 3e-3]), {
      from: -6,
      to: -2,
      perDecade: 1,
    });
    expect(bins.map((b) => b.count)).toEqual([1, 2, 0, 1]);
  });
});

describe("int8 matrix products", () => {
  it("round-trips symmetric int8 within half a step", () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const q = quantizeInt8(data);
    expect(q.scale).toBeCloseTo(maxAbs(data) / 127, 6);
    for (let i = 0; i < data.length; i++) {
      expect(Math.abs(q.values[i]! * q.scale - data[i]!)).toBeLessThanOrEqual(q.scale / 2 + 1e-7);
    }
  });

  it("accumulates exactly in int32", () => {
    const a = Int8Array.from([1, -2, 3, 127, -128, 5]); // [2, 3]
    const b = Int8Array.from([4, 5, -6, 7, 8, 9]); // [3, 2]
    expect([...matMulInt8(a, b, 2, 3, 2)]).toEqual([
      1 * 4 - 2 * -6 + 3 * 8,
      1 * 5 - 2 * 7 + 3 * 9,
      127 * 4 - 128 * -6 + 5 * 8,
      127 * 5 - 128 * 7 + 5 * 9,
    ]);
    expect([
      ...matMulFloat32(Float32Array.from([1, 2]), Float32Array.from([3, 4]), 1, 2, 1),
    ]).toEqual([11]);
  });

  it("stays within about a percent of float32 on random matrices", () => {
    const c = compareInt8(64);
    expect(c.relativeError).toBeGreaterThan(1e-4); // it is a rounding, not exact
    expect(c.relativeError).toBeLessThan(0.02);
    expect(c.int8Bytes * 4).toBeCloseTo(c.float32Bytes, -2);
  });
});
