/**
 * How a tensor's values sit in memory: row-major strides, the flat offset of t[i][j][k]…,
 * the index of a flat offset, and the shape rules of reshape and broadcasting. Plain numbers,
 * no TensorFlow.js: these are the rules the explorer draws and TensorFlow.js applies.
 */

export type Shape = readonly number[];

export class ShapeError extends Error {
  override name = "ShapeError";
}

export function checkShape(shape: Shape): void {
  for (const [axis, n] of shape.entries()) {
    if (!Number.isInteger(n) || n < 0) {
      throw new ShapeError(`axis ${axis} has size ${n}: sizes are whole numbers ≥ 0`);
    }
  }
}

export function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major strides: how far apart, in the flat list, two neighbours along each axis are. */
export function stridesOf(shape: Shape): number[] {
  checkShape(shape);
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = step;
    step *= shape[axis]!;
  }
  return strides;
}

/** The flat offset of t[index[0]][index[1]]…: the dot product of index and strides. */
export function offsetOf(index: readonly number[], shape: Shape): number {
  if (index.length !== shape.length) {
    throw new ShapeError(
      `a rank-${shape.length} tensor needs ${shape.length} indices, got ${index.length}`,
    );
  }
  const strides = stridesOf(shape);
  return index.reduce((sum, i, axis) => {
    const n = shape[axis]!;
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new ShapeError(
        `index ${i} is outside axis ${axis}, which has ${n} entries (0…${n - 1})`,
      );
    }
    return sum + i * strides[axis]!;
  }, 0);
}

/** The index of the value at a flat offset (the inverse of offsetOf). */
export function indexOf(offset: number, shape: Shape): number[] {
  const size = sizeOf(shape);
  if (!Number.isInteger(offset) || offset < 0 || offset >= size) {
    throw new ShapeError(`offset ${offset} is outside a tensor of ${size} values`);
  }
  return stridesOf(shape).map((stride, axis) => Math.floor(offset / stride) % shape[axis]!);
}

/** The shape reshape gives, with one −1 standing for "whatever fits", or a clear refusal. */
export function reshapeTo(shape: Shape, target: readonly number[]): number[] {
  const size = sizeOf(shape);
  const unknown = target.filter((n) => n === -1).length;
  if (unknown > 1) throw new ShapeError("only one axis of the new shape can be −1");
  const known = sizeOf(target.filter((n) => n !== -1));
  checkShape(target.filter((n) => n !== -1));
  if (unknown === 1) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `cannot reshape ${size} values into [${target.join(", ")}]: ${size} is not a multiple of ${known}`,
      );
    }
    return target.map((n) => (n === -1 ? size / known : n));
  }
  if (known !== size) {
    throw new ShapeError(
      `cannot reshape [${shape.join(", ")}] (${size} values) into [${target.join(", ")}] (${known} values)`,
    );
  }
  return [...target];
}

export interface AxisRule {
  /** the axis of the result, counted from the left */
  axis: number;
  a: number | undefined;
  b: number | undefined;
  out: number;
  /** why this axis got its size */
  rule: "equal" | "a is 1, stretched" | "b is 1, stretched" | "missing in a" | "missing in b";
}

/**
 * NumPy's broadcasting rule, which TensorFlow.js follows: align the shapes on the right; two
 * sizes match if they are equal or one of them is 1 (which is stretched); a missing axis counts
 * as 1. Returns the result's shape and the reason for each axis, or throws saying which axes clash.
 */
export function broadcastRules(a: Shape, b: Shape): AxisRule[] {
  checkShape(a);
  checkShape(b);
  const rank = Math.max(a.length, b.length);
  const rules: AxisRule[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const da = a[axis - (rank - a.length)];
    const db = b[axis - (rank - b.length)];
    let out: number;
    let rule: AxisRule["rule"];
    if (da === undefined) [out, rule] = [db!, "missing in a"];
    else if (db === undefined) [out, rule] = [da, "missing in b"];
    else if (da === db) [out, rule] = [da, "equal"];
    else if (da === 1) [out, rule] = [db, "a is 1, stretched"];
    else if (db === 1) [out, rule] = [da, "b is 1, stretched"];
    else {
      throw new ShapeError(
        `shapes [${a.join(", ")}] and [${b.join(", ")}] do not broadcast: aligned on the right, ` +
          `axis ${axis} has ${da} against ${db}, and neither is 1`,
      );
    }
    rules.push({ axis, a: da, b: db, out, rule });
  }
  return rules;
}

export function broadcastShape(a: Shape, b: Shape): number[] {
  return broadcastRules(a, b).map((r) => r.out);
}

/** The shape of a transpose by a permutation of the axes (reversed when none is given). */
export function transposeShape(shape: Shape, perm?: readonly number[]): number[] {
  const p = perm ?? shape.map((_, i) => shape.length - 1 - i);
  const sorted = [...p].sort((x, y) => x - y);
  if (p.length !== shape.length || sorted.some((v, i) => v !== i)) {
    throw new ShapeError(`[${p.join(", ")}] is not a permutation of the ${shape.length} axes`);
  }
  return p.map((axis) => shape[axis]!);
}

/** The shape of concatenating along an axis: every other axis must agree. */
export function concatShape(shapes: readonly Shape[], axis: number): number[] {
  const first = shapes[0];
  if (!first) throw new ShapeError("concat needs at least one tensor");
  if (axis < 0 || axis >= first.length) {
    throw new ShapeError(`axis ${axis} does not exist in a rank-${first.length} tensor`);
  }
  for (const s of shapes.slice(1)) {
    if (s.length !== first.length || s.some((n, i) => i !== axis && n !== first[i])) {
      throw new ShapeError(
        `cannot concat [${first.join(", ")}] and [${s.join(", ")}] along axis ${axis}: ` +
          "the other axes must be equal",
      );
    }
  }
  return first.map((n, i) => (i === axis ? shapes.reduce((sum, s) => sum + s[i]!, 0) : n));
}

/** The matrix product's shape rule: [m, k] × [k, n] → [m, n]. */
export function matMulShape(a: Shape, b: Shape): number[] {
  if (a.length !== 2 || b.length !== 2) {
    throw new ShapeError(
      `matMul takes two matrices (rank 2), got ranks ${a.length} and ${b.length}`,
    );
  }
  if (a[1] !== b[0]) {
    throw new ShapeError(
      `matMul [${a.join(", ")}] × [${b.join(", ")}]: the inner sizes ${a[1]} and ${b[0]} must be equal`,
    );
  }
  return [a[0]!, b[1]!];
}

/** Writes t[i][j]… for an index, the notation of the slides. */
export function indexNotation(name: string, index: readonly number[]): string {
  return name + index.map((i) => `[${i}]`).join("");
}

/** Nested arrays of numbers (or booleans), as tf.tensor takes them. */
export type Nested = number | boolean | readonly Nested[];

/** The shape of nested arrays, refusing ragged ones (TensorFlow.js would silently misread them). */
export function shapeOfNested(v: Nested, path = "the value"): number[] {
  if (!Array.isArray(v)) return [];
  const rows = v as readonly Nested[];
  const inner = rows.length ? shapeOfNested(rows[0]!, `${path}[0]`) : [];
  rows.forEach((item, i) => {
    const s = shapeOfNested(item, `${path}[${i}]`);
    if (s.length !== inner.length || s.some((n, k) => n !== inner[k])) {
      throw new ShapeError(
        `ragged: ${path}[${i}] has shape [${s.join(", ")}] but ${path}[0] has [${inner.join(", ")}]; every row must have the same shape`,
      );
    }
  });
  return [rows.length, ...inner];
}
