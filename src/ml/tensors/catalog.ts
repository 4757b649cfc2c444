/**
 * The operation categories of the talk's slide 26, each op runnable on inputs a reader edits:
 * how TensorFlow.js computes it and the shape rule that gives its output, in words. Inverse and
 * determinant come from linalg.ts, since TensorFlow.js has neither.
 */
import type * as TF from "@tensorflow/tfjs";
import {
  broadcastRules,
  concatShape,
  matMulShape,
  type Nested,
  ShapeError,
  shapeOfNested,
  transposeShape,
} from "./layout.ts";
import { determinant, inverse, type Tf } from "./linalg.ts";

export interface CatalogOp {
  category: string;
  name: string;
  /** the TensorFlow.js call, as a reader would write it */
  code: string;
  inputs: Array<{ name: string; value: string }>;
  run(tf: Tf, inputs: TF.Tensor[]): TF.Tensor | Promise<TF.Tensor>;
  /** the shape rule for these input shapes (throws a ShapeError when they do not fit) */
  rule(shapes: number[][]): string;
}

const shape = (s: readonly number[]) => `[${s.join(", ")}]`;

function broadcastRule(shapes: number[][]): string {
  const [a, b] = shapes as [number[], number[]];
  const rules = broadcastRules(a, b);
  const out = rules.map((r) => r.out);
  const why = rules.filter((r) => r.rule !== "equal").map((r) => `axis ${r.axis}: ${r.rule}`);
  return `${shape(a)} with ${shape(b)} → ${shape(out)}: shapes aligned on the right${why.length ? `; ${why.join("; ")}` : ", equal"}`;
}
const sameShape = (shapes: number[][]) =>
  `${shape(shapes[0]!)} → ${shape(shapes[0]!)}: element by element, the shape is kept`;

const binary = (
  name: string,
  code: string,
  f: (tf: Tf, a: TF.Tensor, b: TF.Tensor) => TF.Tensor,
): CatalogOp => ({
  category: "Element-wise math",
  name,
  code,
  inputs: [
    { name: "a", value: "[[1, 2, 3], [4, 5, 6]]" },
    { name: "b", value: "[10, 20, 30]" },
  ],
  run: (tf, [a, b]) => f(tf, a!, b!),
  rule: broadcastRule,
});
const unary = (
  category: string,
  name: string,
  code: string,
  value: string,
  f: (tf: Tf, a: TF.Tensor) => TF.Tensor,
): CatalogOp => ({
  category,
  name,
  code,
  inputs: [{ name: "a", value }],
  run: (tf, [a]) => f(tf, a!),
  rule: sameShape,
});

function square(shapes: number[][]): number {
  const s = shapes[0]!;
  if (s.length !== 2 || s[0] !== s[1])
    throw new ShapeError(`a square matrix is needed, got ${shape(s)}`);
  return s[0]!;
}

export const CATALOG: CatalogOp[] = [
  binary("Add", "tf.add(a, b)", (tf, a, b) => tf.add(a, b)),
  binary("Sub", "tf.sub(a, b)", (tf, a, b) => tf.sub(a, b)),
  binary("Mul", "tf.mul(a, b)", (tf, a, b) => tf.mul(a, b)),
  binary("Div", "tf.div(a, b)", (tf, a, b) => tf.div(a, b)),
  binary("Greater", "tf.greater(a, b)", (tf, a, b) => tf.greater(a, b)),
  binary("Less", "tf.less(a, b)", (tf, a, b) => tf.less(a, b)),
  unary("Element-wise math", "Exp", "tf.exp(a)", "[0, 1, 2]", (tf, a) => tf.exp(a)),
  unary("Element-wise math", "Log", "tf.log(a)", "[1, 2.718, 10]", (tf, a) => tf.log(a)),
  {
    category: "Array",
    name: "Concat",
    code: "tf.concat([a, b], 0)",
    inputs: [
      { name: "a", value: "[[1, 2], [3, 4]]" },
      { name: "b", value: "[[5, 6]]" },
    ],
    run: (tf, [a, b]) => tf.concat([a!, b!], 0),
    rule: (s) =>
      `${shape(s[0]!)} and ${shape(s[1]!)} along axis 0 → ${shape(concatShape(s, 0))}: the other axes must agree`,
  },
  {
    category: "Array",
    name: "Slice",
    code: "tf.slice(a, begin, size)",
    inputs: [
      { name: "a", value: "[[1, 2, 3], [4, 5, 6], [7, 8, 9]]" },
      { name: "begin", value: "[1, 0]" },
      { name: "size", value: "[2, -1]" },
    ],
    run: (tf, [a, begin, size]) =>
      tf.slice(a!, begin!.arraySync() as number[], size!.arraySync() as number[]),
    rule: (s) => `${shape(s[0]!)}: from begin, take size entries along each axis (−1: to the end)`,
  },
  {
    category: "Array",
    name: "Split",
    code: "tf.stack(tf.split(a, 2, 1))",
    inputs: [{ name: "a", value: "[[1, 2, 3, 4], [5, 6, 7, 8]]" }],
    run: (tf, [a]) => tf.tidy(() => tf.stack(tf.split(a!, 2, 1))),
    rule: (s) => {
      const [r, c] = s[0]!;
      if (c === undefined || c % 2)
        throw new ShapeError(`axis 1 has ${c ?? "no"} entries: it must split into 2 equal parts`);
      return `${shape(s[0]!)} split in 2 along axis 1 → two ${shape([r!, c / 2])}, stacked here as ${shape([2, r!, c / 2])}`;
    },
  },
  unary("Array", "Rank", "tf.scalar(a.rank)", "[[[1], [2]], [[3], [4]]]", (tf, a) =>
    tf.scalar(a.rank, "int32"),
  ),
  unary("Array", "Shape", "tf.tensor1d(a.shape)", "[[[1], [2]], [[3], [4]]]", (tf, a) =>
    tf.tensor1d(a.shape, "int32"),
  ),
  {
    category: "Matrix",
    name: "MatMul",
    code: "tf.matMul(a, b)",
    inputs: [
      { name: "a", value: "[[1, 2], [3, 4], [5, 6]]" },
      { name: "b", value: "[[1, 0, -1], [0, 1, 2]]" },
    ],
    run: (tf, [a, b]) => tf.matMul(a as TF.Tensor2D, b as TF.Tensor2D),
    rule: (s) =>
      `${shape(s[0]!)} × ${shape(s[1]!)} → ${shape(matMulShape(s[0]!, s[1]!))}: the inner sizes must match`,
  },
  {
    category: "Matrix",
    name: "Transpose",
    code: "tf.transpose(a)",
    inputs: [{ name: "a", value: "[[1, 2, 3], [4, 5, 6]]" }],
    run: (tf, [a]) => tf.transpose(a!),
    rule: (s) => `${shape(s[0]!)} → ${shape(transposeShape(s[0]!))}: the axes reversed`,
  },
  {
    category: "Matrix",
    name: "MatrixInverse",
    code: "inverse(tf, a)  // built from tfjs ops",
    inputs: [{ name: "a", value: "[[4, 7], [2, 6]]" }],
    run: (tf, [a]) => inverse(tf, a as TF.Tensor2D),
    rule: (s) =>
      `${shape(s[0]!)} → ${shape([square(s), square(s)])}: a·a⁻¹ = I, only for a square matrix with determinant ≠ 0`,
  },
  {
    category: "Matrix",
    name: "MatrixDeterminant",
    code: "determinant(tf, a)  // built from tfjs ops",
    inputs: [{ name: "a", value: "[[2, -3, 1], [2, 0, -1], [1, 4, 5]]" }],
    run: async (tf, [a]) => tf.scalar(await determinant(tf, a as TF.Tensor2D)),
    rule: (s) => `${shape(s[0]!)} → []: one number per square matrix (${square(s)} × ${square(s)})`,
  },
  unary("Neural-network building blocks", "SoftMax", "tf.softmax(a)", "[1, 2, 3]", (tf, a) =>
    tf.softmax(a),
  ),
  unary("Neural-network building blocks", "Sigmoid", "tf.sigmoid(a)", "[-2, 0, 2]", (tf, a) =>
    tf.sigmoid(a),
  ),
  unary("Neural-network building blocks", "ReLU", "tf.relu(a)", "[-2, -0.5, 0, 1.5]", (tf, a) =>
    tf.relu(a),
  ),
  {
    category: "Control flow",
    name: "Where (select)",
    code: "tf.where(cond, a, b)",
    inputs: [
      { name: "cond", value: "[true, false, true]" },
      { name: "a", value: "[1, 2, 3]" },
      { name: "b", value: "[-1, -2, -3]" },
    ],
    run: (tf, [c, a, b]) => tf.tidy(() => tf.where(c!.toBool(), a!, b!)),
    rule: (s) =>
      `${shape(s[0]!)}: a where cond is true, else b; the three shapes broadcast together`,
  },
];

export const CATEGORIES = [...new Set(CATALOG.map((op) => op.category))];

/** A reader's input, "[[1, 2], [3, 4]]": JSON numbers or booleans only, never code. */
export function parseInput(tf: Tf, name: string, text: string): TF.Tensor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ShapeError(`input ${name}: write numbers in brackets, like [[1, 2], [3, 4]]`);
  }
  const ok = (v: unknown): boolean =>
    typeof v === "number" || typeof v === "boolean" || (Array.isArray(v) && v.every(ok));
  if (!ok(value)) throw new ShapeError(`input ${name}: only numbers, true/false and brackets`);
  try {
    shapeOfNested(value as Nested, name);
    const flat = [value].flat(Infinity as 1);
    const bool = flat.length > 0 && flat.every((v) => typeof v === "boolean");
    return tf.tensor(value as number[], undefined, bool ? "bool" : "float32");
  } catch (e) {
    throw new ShapeError(`input ${name}: ${(e as Error).message}`);
  }
}

/** Runs an op on its text inputs: the output (the caller owns it) and the shape rule. */
export async function runCatalogOp(
  tf: Tf,
  op: CatalogOp,
  texts: string[],
): Promise<{ output: TF.Tensor; rule: string }> {
  const inputs: TF.Tensor[] = [];
  try {
    texts.forEach((t, i) => inputs.push(parseInput(tf, op.inputs[i]!.name, t)));
    const rule = op.rule(inputs.map((t) => t.shape));
    const output = await op.run(tf, inputs);
    return { output, rule };
  } finally {
    tf.dispose(inputs);
  }
}
