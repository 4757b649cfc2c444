/**
 * The `check` built-in: what exercise authors write their checks with. Every failure says what
 * was expected and what came instead, in words a learner can act on. Tensors are read with
 * `await t.data()`, so checks that look at values are async (`await check.tensor(...)`).
 */

import { FEEDBACK_NAME } from "../runtime/errors.ts";

export class CheckFailure extends Error {
  override name = FEEDBACK_NAME;
}

type Shape = ReadonlyArray<number | null>;

interface TensorLike {
  shape: number[];
  data(): Promise<ArrayLike<number>>;
}

function isTensorLike(value: unknown): value is TensorLike {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as TensorLike).shape) &&
    typeof (value as TensorLike).data === "function"
  );
}

export function formatValue(value: unknown): string {
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(+value.toPrecision(6));
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (isTensorLike(value)) return `a tensor of shape ${formatShape(value.shape)}`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? "null" : String(d))).join(", ")}]`;
}

function fail(message: string): never {
  throw new CheckFailure(message);
}

/** Nested arrays to a flat list and a shape; ragged input is reported. */
export function flatten(value: unknown): { values: number[]; shape: number[] } {
  if (typeof value === "number") return { values: [value], shape: [] };
  if (!Array.isArray(value)) fail(`expected numbers, got ${formatValue(value)}`);
  const parts = value.map(flatten);
  const inner = parts[0]?.shape ?? [];
  for (const part of parts) {
    if (formatShape(part.shape) !== formatShape(inner))
      fail("expected a rectangular array of numbers");
  }
  return { values: parts.flatMap((p) => p.values), shape: [value.length, ...inner] };
}

function closeEnough(a: number, b: number, tolerance: number): boolean {
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));
}

export interface CloseOptions {
  tolerance?: number;
  label?: string;
}

const DEFAULT_TOLERANCE = 1e-4;

export const check = {
  /** Fails with `message` unless `condition` holds. */
  that(condition: unknown, message: string): void {
    if (!condition) fail(message);
  },

  equal(actual: unknown, expected: unknown, label = "the value"): void {
    if (formatValue(actual) !== formatValue(expected)) {
      fail(`${label} is ${formatValue(actual)}; expected ${formatValue(expected)}`);
    }
  },

  /** Shapes must match exactly; `null` in the expected shape matches any size. */
  shape(tensor: unknown, expected: Shape, label = "the tensor"): void {
    if (!isTensorLike(tensor)) fail(`${label} should be a tensor, got ${formatValue(tensor)}`);
    const actual = tensor.shape;
    const matches =
      actual.length === expected.length && expected.every((d, i) => d === null || d === actual[i]);
    if (!matches) {
      const shown = actual.map((d, i) => (expected[i] === null ? null : d));
      fail(`expected shape ${formatShape(expected)}, got ${formatShape(shown)}`);
    }
  },

  /** A tensor's shape exactly and its values within a tolerance. */
  async tensor(actual: unknown, expected: unknown, options: CloseOptions = {}): Promise<void> {
    const label = options.label ?? "the tensor";
    const want = flatten(expected);
    check.shape(actual, want.shape, label);
    const got = Array.from(await (actual as TensorLike).data());
    compareValues(got, want.values, options.tolerance ?? DEFAULT_TOLERANCE, label);
  },

  /** Numbers, arrays of numbers or tensors, within a tolerance. */
  async close(actual: unknown, expected: unknown, options: CloseOptions = {}): Promise<void> {
    const label = options.label ?? "the value";
    if (isTensorLike(actual)) return check.tensor(actual, expected, options);
    const got = flatten(actual);
    const want = flatten(expected);
    if (formatShape(got.shape) !== formatShape(want.shape)) {
      fail(`${label} has shape ${formatShape(got.shape)}; expected ${formatShape(want.shape)}`);
    }
    compareValues(got.values, want.values, options.tolerance ?? DEFAULT_TOLERANCE, label);
  },

  /** E.g. check.below(loss, 0.3, "loss after 50 steps") → "loss after 50 steps is 0.61, needs < 0.3". */
  below(value: number, limit: number, label = "the value"): void {
    if (!(value < limit)) fail(`${label} is ${formatValue(value)}, needs < ${formatValue(limit)}`);
  },

  above(value: number, limit: number, label = "the value"): void {
    if (!(value > limit)) fail(`${label} is ${formatValue(value)}, needs > ${formatValue(limit)}`);
  },

  /** Calls `fn(...args)` and compares the result (numbers within a tolerance). */
  async returns(
    fn: unknown,
    args: unknown[],
    expected: unknown,
    options: CloseOptions = {},
  ): Promise<void> {
    if (typeof fn !== "function") fail(`expected a function, got ${formatValue(fn)}`);
    const input = args.length === 1 ? formatValue(args[0]) : formatValue(args);
    let result: unknown;
    try {
      result = await (fn as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      fail(
        `your function threw "${error instanceof Error ? error.message : String(error)}" for input ${input}`,
      );
    }
    const got = isTensorLike(result) ? Array.from(await result.data()) : result;
    // A tensor the learner's function returned belongs to the check now: free it.
    if (isTensorLike(result)) (result as TensorLike & { dispose?: () => void }).dispose?.();
    const same = sameValue(got, expected, options.tolerance ?? DEFAULT_TOLERANCE);
    if (!same) {
      fail(
        `your function returned ${formatValue(got)} for input ${input}; expected ${formatValue(expected)}`,
      );
    }
  },
};

function sameValue(actual: unknown, expected: unknown, tolerance: number): boolean {
  if (typeof actual === "number" && typeof expected === "number")
    return closeEnough(actual, expected, tolerance);
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return (
      actual.length === expected.length &&
      actual.every((a, i) => sameValue(a, expected[i], tolerance))
    );
  }
  return formatValue(actual) === formatValue(expected);
}

function compareValues(got: number[], want: number[], tolerance: number, label: string): void {
  for (let i = 0; i < want.length; i++) {
    if (!closeEnough(got[i]!, want[i]!, tolerance)) {
      const where = want.length > 1 ? ` at index ${i}` : "";
      fail(
        `${label}${where} is ${formatValue(got[i])}; expected ${formatValue(want[i])} (±${tolerance})`,
      );
    }
  }
}

export type Check = typeof check;
