import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { descend, descentSteps, surface } from "../../../src/ml/graph/descent.ts";
import { compileFormula, formatFormula, parseFormula } from "../../../src/ml/graph/formula.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const at = (source: string, x: number) =>
  tf.tidy(() => compileFormula(tf, parseFormula(source))({ x: tf.scalar(x) }).dataSync()[0]!);

describe("formulas", () => {
  it("parse with the usual precedence", () => {
    expect(formatFormula(parseFormula("x^3 - 2*x"))).toBe("x^3 − 2·x");
    expect(formatFormula(parseFormula("-x^2"))).toBe("−x^2");
    expect(formatFormula(parseFormula("(1 + x) / (x - 1)"))).toBe("(1 + x) / (x − 1)");
    expect(formatFormula(parseFormula("2x"))).toBe("2·x");
    expect(at("2^3^2", 0)).toBe(512); // right-associative
    expect(at("-x^2", 3)).toBe(-9);
    expect(at("sin(pi/2) + exp(0) + x**2", 2)).toBeCloseTo(6, 5);
  });

  it("explain mistakes with the column", () => {
    expect(() => parseFormula("x +")).toThrow(/ends too early/);
    expect(() => parseFormula("x $ 2")).toThrow(/unexpected character "\$" \(at column 3\)/);
    expect(() => parseFormula("foo(x)")).toThrow(/unknown name "foo"/);
    expect(() => parseFormula("sin x")).toThrow(/sin needs its argument in brackets/);
    expect(() => parseFormula("(x + 1")).toThrow(/expected "\)" at the end/);
    expect(() => parseFormula("")).toThrow(/empty/);
    expect(() => parseFormula("alert(1)")).toThrow(/unknown name "alert"/);
  });

  it("compile into ops that tf.grad differentiates, negative x included", () => {
    const f = compileFormula(tf, parseFormula("x^3 - 2*x"));
    const df = tf.grad((x: tf.Tensor) => f({ x }));
    const slope = tf.tidy(() => df(tf.scalar(-1.5)).dataSync()[0]!);
    expect(slope).toBeCloseTo(3 * 1.5 ** 2 - 2, 4);
    const values = tf.tidy(() =>
      Array.from(compileFormula(tf, parseFormula("3"))({ x: tf.zeros([4]) }).dataSync()),
    );
    expect(values).toEqual([3, 3, 3, 3]);
  });
});

describe("gradient descent on a surface", () => {
  const bowl = surface(tf, "x^2 + 3*y^2");
  it("converges with a small learning rate", () => {
    const { path, divergedAt } = descend(tf, bowl, [1.5, 1], 0.1, 60);
    expect(divergedAt).toBeUndefined();
    expect(path.at(-1)!.loss).toBeLessThan(1e-3);
  });
  it("diverges when the rate is too large, and says when", () => {
    // Along y the curvature is 6: a rate above 2/6 overshoots more each step.
    const { divergedAt, path } = descend(tf, bowl, [1.5, 1], 0.5, 200);
    expect(divergedAt).toBeGreaterThan(0);
    expect(path.length).toBe(divergedAt! + 1);
  });
  it("gives the same path step by step, asynchronously", async () => {
    const steps = [];
    for await (const p of descentSteps(tf, bowl, [1.5, 1], 0.5, 200)) steps.push(p);
    const { path, divergedAt } = descend(tf, bowl, [1.5, 1], 0.5, 200);
    expect(steps.length).toBe(path.length);
    expect(steps.at(-1)!.diverged).toBe(true);
    expect(steps.at(-1)!.step).toBe(divergedAt);
  });
});
