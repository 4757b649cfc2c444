import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { determinant, inverse, SingularMatrixError } from "../../../src/ml/tensors/linalg.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function close(actual: number[][], expected: number[][], tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) =>
    row.forEach((v, j) => expect(Math.abs(v - expected[i]![j]!)).toBeLessThan(tolerance)),
  );
}

describe("determinant and inverse from TensorFlow.js ops", () => {
  it("gives known determinants", async () => {
    const cases: Array<[number[][], number]> = [
      [[[3]], 3],
      [
        [
          [1, 2],
          [3, 4],
        ],
        -2,
      ],
      [
        [
          [0, 1],
          [1, 0],
        ],
        -1,
      ], // needs a row swap: the sign flips
      [
        [
          [2, -3, 1],
          [2, 0, -1],
          [1, 4, 5],
        ],
        49,
      ],
      [
        [
          [6, 1, 1],
          [4, -2, 5],
          [2, 8, 7],
        ],
        -306,
      ],
      [
        [
          [1, 0, 2, -1],
          [3, 0, 0, 5],
          [2, 1, 4, -3],
          [1, 0, 5, 0],
        ],
        30,
      ],
    ];
    for (const [m, det] of cases) {
      const a = tf.tensor2d(m);
      expect(await determinant(tf, a)).toBeCloseTo(det, 3);
      a.dispose();
    }
  });

  it("inverts known matrices, and a·a⁻¹ = I", async () => {
    const a = tf.tensor2d([
      [4, 7],
      [2, 6],
    ]);
    const inv = await inverse(tf, a);
    close(inv.arraySync(), [
      [0.6, -0.7],
      [-0.2, 0.4],
    ]);
    const b = tf.tensor2d([
      [2, -1, 0],
      [-1, 2, -1],
      [0, -1, 2],
    ]);
    const binv = await inverse(tf, b);
    close(binv.arraySync(), [
      [0.75, 0.5, 0.25],
      [0.5, 1, 0.5],
      [0.25, 0.5, 0.75],
    ]);
    const c = tf.tensor2d([
      [0, 2, 1],
      [1, 0, 0],
      [3, 1, 4],
    ]); // zero in the first pivot place
    const cinv = await inverse(tf, c);
    const product = tf.matMul(c, cinv);
    close(product.arraySync() as number[][], [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    tf.dispose([a, inv, b, binv, c, cinv, product]);
  });

  it("says a singular matrix has no inverse and a determinant of 0, leaking nothing", async () => {
    const before = tf.memory().numTensors;
    const a = tf.tensor2d([
      [1, 2, 3],
      [2, 4, 6],
      [1, 0, 1],
    ]);
    await expect(inverse(tf, a)).rejects.toThrow(SingularMatrixError);
    await expect(inverse(tf, a)).rejects.toThrow(/singular \(determinant 0\).*no inverse/);
    expect(await determinant(tf, a)).toBe(0);
    const zero = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(await determinant(tf, zero)).toBe(0);
    tf.dispose([a, zero]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses a matrix that is not square", async () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    await expect(determinant(tf, a)).rejects.toThrow(/square matrix is needed, got shape \[2, 3\]/);
    a.dispose();
  });
});
