/**
 * Matrix inverse and determinant, which TensorFlow.js lacks, built from its operations:
 * Gauss-Jordan elimination with partial pivoting. Every step is a tensor operation (the pivot
 * row is chosen by argMax and swapped in by a permutation matrix), so the work stays on the
 * backend; the pivots are read once at the end to tell a singular matrix.
 */
import type * as TF from "@tensorflow/tfjs";

export type Tf = typeof TF;

export class SingularMatrixError extends Error {
  override name = "SingularMatrixError";
}

export interface Elimination {
  /** the pivots, in order; the determinant is their product times `sign` */
  pivots: number[];
  sign: number;
  /** the column whose pivot vanished (the matrix is singular), if one did */
  singularColumn: number | undefined;
}

function checkSquare(a: TF.Tensor): number {
  if (a.rank !== 2 || a.shape[0] !== a.shape[1]) {
    throw new Error(`a square matrix is needed, got shape [${a.shape.join(", ")}]`);
  }
  return a.shape[0]!;
}

/**
 * Runs Gauss-Jordan on [a | I] and returns the final augmented matrix, the pivots and the sign
 * of the row permutation (all tensors, for the caller to read).
 */
function gaussJordan(
  tf: Tf,
  a: TF.Tensor2D,
): { m: TF.Tensor2D; pivots: TF.Tensor1D; sign: TF.Scalar } {
  const n = checkSquare(a);
  return tf.tidy(() => {
    let m = tf.concat([a.toFloat(), tf.eye(n)], 1) as TF.Tensor2D;
    const rows = tf.range(0, n, 1, "int32");
    const pivots: TF.Scalar[] = [];
    let sign: TF.Scalar = tf.scalar(1);
    for (let k = 0; k < n; k++) {
      // Partial pivoting: the row at or below k with the largest |value| in column k.
      const column = m.slice([0, k], [n, 1]).reshape([n]).abs();
      const candidates = tf.where(tf.greaterEqual(rows, k), column, tf.fill([n], -1));
      const p = candidates.argMax();
      const ep = tf.equal(rows, p).toFloat() as TF.Tensor1D;
      const ek = tf.equal(rows, k).toFloat() as TF.Tensor1D;
      const swap = tf
        .eye(n)
        .sub(tf.outerProduct(ek, ek))
        .sub(tf.outerProduct(ep, ep))
        .add(tf.outerProduct(ek, ep))
        .add(tf.outerProduct(ep, ek));
      // swap is the identity when p = k: the outer products cancel.
      m = swap.matMul(m) as TF.Tensor2D;
      sign = sign.mul(tf.scalar(1).sub(tf.notEqual(p, k).toFloat().mul(2)));
      const pivot = m.slice([k, k], [1, 1]).reshape([]) as TF.Scalar;
      pivots.push(pivot);
      const pivotRow = m.slice([k, 0], [1, 2 * n]).div(pivot);
      // Subtract the pivot row from every other row, scaled to clear column k.
      const factors = m.slice([0, k], [n, 1]).mul(tf.scalar(1).sub(ek.reshape([n, 1])));
      m = m
        .sub(factors.matMul(pivotRow))
        .mul(tf.scalar(1).sub(ek.reshape([n, 1])))
        .add(ek.reshape([n, 1]).matMul(pivotRow)) as TF.Tensor2D;
    }
    return { m, pivots: tf.stack(pivots) as TF.Tensor1D, sign };
  });
}

/** A pivot this small, relative to the matrix's largest entry, counts as zero (float32). */
const TOLERANCE = 1e-6;

function singularColumn(pivots: number[], scale: number): number | undefined {
  const limit = TOLERANCE * Math.max(scale, Number.MIN_VALUE) * Math.max(1, pivots.length);
  const k = pivots.findIndex((p) => !Number.isFinite(p) || Math.abs(p) <= limit);
  return k === -1 ? undefined : k;
}

/** The elimination's pivots and sign, read from the backend. */
export async function eliminate(tf: Tf, a: TF.Tensor2D): Promise<Elimination> {
  const { m, pivots, sign } = gaussJordan(tf, a);
  const scale = tf.tidy(() => a.abs().max());
  try {
    const [p, s, big] = await Promise.all([pivots.data(), sign.data(), scale.data()]);
    const list = Array.from(p);
    return { pivots: list, sign: s[0]!, singularColumn: singularColumn(list, big[0]!) };
  } finally {
    tf.dispose([m, pivots, sign, scale]);
  }
}

/** det(a): the product of the pivots, with the sign of the row swaps; 0 for a singular matrix. */
export async function determinant(tf: Tf, a: TF.Tensor2D): Promise<number> {
  if (checkSquare(a) === 0) return 1;
  const { pivots, sign, singularColumn: k } = await eliminate(tf, a);
  if (k !== undefined) return 0;
  return sign * pivots.reduce((x, y) => x * y, 1);
}

/** a⁻¹, or a SingularMatrixError that says which column has no pivot. */
export async function inverse(tf: Tf, a: TF.Tensor2D): Promise<TF.Tensor2D> {
  const n = checkSquare(a);
  const { m, pivots, sign } = gaussJordan(tf, a);
  const scale = tf.tidy(() => a.abs().max());
  const [p, big] = await Promise.all([pivots.data(), scale.data()]);
  tf.dispose([pivots, scale, sign]);
  const k = singularColumn(Array.from(p), big[0]!);
  if (k !== undefined) {
    m.dispose();
    throw new SingularMatrixError(
      `this matrix is singular (determinant 0): after elimination, column ${k + 1} has no ` +
        "non-zero pivot, because some rows are combinations of others; it has no inverse",
    );
  }
  const inv = tf.tidy(() => m.slice([0, n], [n, n]) as TF.Tensor2D);
  m.dispose();
  return inv;
}
