/**
 * The operations a dataflow graph can hold: for each, how TensorFlow.js computes it and the
 * rule that gives its output's shape and dtype from its inputs' (checked when the graph is
 * built, so a mismatch is reported at the node that causes it, as TensorFlow 1.x did).
 */
import type * as TF from "@tensorflow/tfjs";
import { broadcastShape, matMulShape, ShapeError } from "../tensors/layout.ts";

export type Tf = typeof TF;
/** A static shape: null marks a size known only when the graph runs (a batch). */
export type StaticShape = ReadonlyArray<number | null>;
export type DType = "float32" | "int32" | "bool";

export interface TensorType {
  shape: StaticShape;
  dtype: DType;
}

export interface OpDef {
  /** what the operation computes, for the graph's tooltip */
  doc: string;
  arity: number;
  infer(inputs: TensorType[]): TensorType;
  compute(tf: Tf, inputs: TF.Tensor[]): TF.Tensor;
}

function broadcastStatic(a: StaticShape, b: StaticShape): Array<number | null> {
  // Unknown sizes broadcast as if they matched: the run will tell.
  const known = (s: StaticShape) => s.map((n) => n ?? 1);
  const out = broadcastShape(known(a), known(b));
  const rank = out.length;
  return out.map((n, axis) => {
    const da = a[axis - (rank - a.length)];
    const db = b[axis - (rank - b.length)];
    return n === 1 && (da === null || db === null) ? null : n;
  });
}

const elementwise = (doc: string, compute: OpDef["compute"]): OpDef => ({
  doc,
  arity: 1,
  infer: ([x]) => ({ shape: x!.shape, dtype: "float32" }),
  compute,
});

const binary = (doc: string, compute: OpDef["compute"], dtype?: DType): OpDef => ({
  doc,
  arity: 2,
  infer: ([a, b]) => ({ shape: broadcastStatic(a!.shape, b!.shape), dtype: dtype ?? a!.dtype }),
  compute,
});

export const OPS = {
  Add: binary("a + b, element-wise, with broadcasting", (tf, [a, b]) => tf.add(a!, b!)),
  Sub: binary("a − b, element-wise, with broadcasting", (tf, [a, b]) => tf.sub(a!, b!)),
  Mul: binary("a × b, element-wise, with broadcasting", (tf, [a, b]) => tf.mul(a!, b!)),
  Div: binary("a ÷ b, element-wise, with broadcasting", (tf, [a, b]) => tf.div(a!, b!)),
  Greater: binary("a > b, element-wise", (tf, [a, b]) => tf.greater(a!, b!), "bool"),
  MatMul: {
    doc: "the matrix product: [m, k] × [k, n] → [m, n]",
    arity: 2,
    infer: ([a, b]) => {
      const known = (s: StaticShape) => s.map((n) => n ?? -1);
      if (
        a!.shape.length === 2 &&
        b!.shape.length === 2 &&
        (a!.shape[1] === null || b!.shape[0] === null)
      ) {
        return { shape: [a!.shape[0]!, b!.shape[1]!], dtype: "float32" };
      }
      const [m, n] = matMulShape(known(a!.shape), known(b!.shape));
      return { shape: [m === -1 ? null : m!, n === -1 ? null : n!], dtype: "float32" };
    },
    compute: (tf, [a, b]) => tf.matMul(a as TF.Tensor2D, b as TF.Tensor2D),
  },
  Sigmoid: elementwise("σ(x) = 1 / (1 + e^(−x)), element-wise", (tf, [x]) => tf.sigmoid(x!)),
  Relu: elementwise("max(x, 0), element-wise", (tf, [x]) => tf.relu(x!)),
  Tanh: elementwise("tanh(x), element-wise", (tf, [x]) => tf.tanh(x!)),
  Exp: elementwise("eˣ, element-wise", (tf, [x]) => tf.exp(x!)),
  Square: elementwise("x², element-wise", (tf, [x]) => tf.square(x!)),
  Softmax: elementwise("e^(x_i) / Σ e^(x_j) along the last axis", (tf, [x]) => tf.softmax(x!)),
  Mean: {
    doc: "the mean of every element: a scalar",
    arity: 1,
    infer: () => ({ shape: [], dtype: "float32" }),
    compute: (tf, [x]) => tf.mean(x!),
  },
  Sum: {
    doc: "the sum of every element: a scalar",
    arity: 1,
    infer: () => ({ shape: [], dtype: "float32" }),
    compute: (tf, [x]) => tf.sum(x!),
  },
} satisfies Record<string, OpDef>;

export type OpName = keyof typeof OPS;

export function opDef(name: string): OpDef {
  const def = (OPS as Record<string, OpDef>)[name];
  if (!def) {
    throw new ShapeError(
      `unknown operation ${name}: the graph knows ${Object.keys(OPS).join(", ")}`,
    );
  }
  return def;
}
