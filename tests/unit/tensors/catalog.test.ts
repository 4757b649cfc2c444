import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CATALOG, CATEGORIES, parseInput, runCatalogOp } from "../../../src/ml/tensors/catalog.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const op = (name: string) => CATALOG.find((o) => o.name === name)!;

describe("the operation catalog", () => {
  it("runs every op on its default inputs, leaking nothing", async () => {
    const before = tf.memory().numTensors;
    for (const o of CATALOG) {
      const { output, rule } = await runCatalogOp(
        tf,
        o,
        o.inputs.map((i) => i.value),
      );
      expect(rule.length, o.name).toBeGreaterThan(0);
      output.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(CATEGORIES).toContain("Matrix");
  });

  it("computes real results with their shape rules", async () => {
    const add = await runCatalogOp(tf, op("Add"), ["[[1, 2, 3], [4, 5, 6]]", "[10, 20, 30]"]);
    expect(add.output.arraySync()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(add.rule).toMatch(/\[2, 3\] with \[3\] → \[2, 3\].*axis 0: missing in b/);
    const det = await runCatalogOp(tf, op("MatrixDeterminant"), [
      "[[2, -3, 1], [2, 0, -1], [1, 4, 5]]",
    ]);
    expect(det.output.dataSync()[0]).toBeCloseTo(49, 3);
    tf.dispose([add.output, det.output]);
  });

  it("explains bad inputs and singular matrices in words", async () => {
    await expect(runCatalogOp(tf, op("MatMul"), ["[[1, 2]]", "[[1, 2]]"])).rejects.toThrow(
      /inner sizes 2 and 1/,
    );
    await expect(runCatalogOp(tf, op("MatrixInverse"), ["[[1, 2], [2, 4]]"])).rejects.toThrow(
      /singular/,
    );
    await expect(runCatalogOp(tf, op("Add"), ["[1, 2", "[1]"])).rejects.toThrow(
      /input a: write numbers in brackets/,
    );
    expect(() => parseInput(tf, "a", '"alert(1)"')).toThrow(/only numbers/);
    await expect(runCatalogOp(tf, op("Add"), ["[[1, 2], [3]]", "[1]"])).rejects.toThrow(/input a/);
  });
});
