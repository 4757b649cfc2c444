import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { tensorTracker } from "../../src/ml/tensor-tracking.ts";

describe("tensorTracker", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("sees every tensor a stretch of code makes, intermediate ones included, but no variables", () => {
    const tracker = tensorTracker(tf);
    const before = tf.memory().numTensors;
    const { value, made } = tracker.during(() => {
      const kept = tf.ones([2]).add(1); // three tensors: ones, the scalar 1, and the sum
      tf.variable(tf.zeros([1])); // a variable and its initial value
      return kept;
    });
    expect(made).toHaveLength(4);
    expect(made).toContain(value);
    expect(made.some((t) => t instanceof tf.Variable)).toBe(false);
    tf.dispose(made);
    expect(tf.memory().numTensors).toBe(before + 1); // the variable is not the run's to free
  });

  it("is installed once per engine, and sees nothing outside `during`", () => {
    expect(tensorTracker(tf)).toBe(tensorTracker(tf));
    const outside = tf.ones([1]);
    const { made } = tensorTracker(tf).during(() => 0);
    expect(made).toEqual([]);
    outside.dispose();
  });
});
