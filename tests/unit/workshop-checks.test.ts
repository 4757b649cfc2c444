import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CheckFailure, check } from "../../src/workshop/checks.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("the check built-in", () => {
  it("compares shapes exactly, with null for any size", () => {
    const t = tf.zeros([4, 5]);
    expect(() => check.shape(t, [null, 5])).not.toThrow();
    expect(() => check.shape(t, [null, 10])).toThrow("expected shape [null, 10], got [null, 5]");
    t.dispose();
  });

  it("compares tensor values within a tolerance and says where they differ", async () => {
    const t = tf.tensor([1, 2, 3.00001]);
    await expect(check.tensor(t, [1, 2, 3])).resolves.toBeUndefined();
    await expect(check.tensor(t, [1, 2.5, 3])).rejects.toThrow(
      "the tensor at index 1 is 2; expected 2.5",
    );
    await expect(check.tensor(t, [[1, 2, 3]])).rejects.toThrow("expected shape [1, 3], got [3]");
    t.dispose();
  });

  it("reports what a function returned for which input", async () => {
    const add = (xs: number[]) => xs[0]! + xs[1]! - 2;
    await expect(check.returns(add, [[1, 2]], 3)).rejects.toThrow(
      "your function returned 1 for input [1, 2]; expected 3",
    );
    await expect(
      check.returns(
        () => {
          throw new Error("boom");
        },
        [1],
        1,
      ),
    ).rejects.toThrow('your function threw "boom" for input 1');
  });

  it("phrases thresholds the way a learner reads them", () => {
    expect(() => check.below(0.61, 0.3, "loss after 50 steps")).toThrow(
      "loss after 50 steps is 0.61, needs < 0.3",
    );
    expect(() => check.below(0.2, 0.3)).not.toThrow();
    try {
      check.equal([1, 2], [1, 3], "the list");
    } catch (error) {
      expect(error).toBeInstanceOf(CheckFailure);
      expect((error as Error).message).toBe("the list is [1, 2]; expected [1, 3]");
    }
  });
});
