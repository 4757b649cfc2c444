/**
 * Where each element of a tensor is drawn: a box (rank 0), a row (1), a grid (2), a cube of
 * stacked grids along the last axis (3), a row of cubes (4), a grid of cubes (5). Pure numbers,
 * so the picture and its tests agree on positions.
 */
import { indexOf, sizeOf, type Shape } from "../../ml/tensors/layout.ts";

export const MAX_RANK = 5;

export interface Placement {
  /** the size of one element's square, in pixels */
  cell: number;
  width: number;
  height: number;
  /** the top-left corner of element k (flat offset) */
  at(k: number): { x: number; y: number; depth: number; plane: string };
}

/**
 * How far back each plane of a cube sits, in cells: enough that a strip of every plane behind
 * shows its numbers (pointing at a plane brings it to the front).
 */
function depthStep(rows: number, cols: number): number {
  return Math.max(0.5, Math.min(rows, cols) * 0.35);
}
const GAP = 0.8;

/** The extent, in cells, of one cube [rows, cols, depth]. */
function cubeExtent(rows: number, cols: number, depth: number): { w: number; h: number } {
  const back = Math.max(0, depth - 1) * depthStep(rows, cols);
  return { w: cols + back, h: rows + back };
}

/** Splits a shape into its outer grid of cubes and each cube's [rows, cols, depth]. */
function parts(shape: Shape): { outer: [number, number]; cube: [number, number, number] } {
  const r = shape.length;
  if (r > MAX_RANK) throw new Error(`the explorer draws ranks 0 to ${MAX_RANK}, not ${r}`);
  const cube: [number, number, number] =
    r === 0
      ? [1, 1, 1]
      : r === 1
        ? [1, shape[0]!, 1]
        : r === 2
          ? [shape[0]!, shape[1]!, 1]
          : [shape[r - 3]!, shape[r - 2]!, shape[r - 1]!];
  const outer: [number, number] =
    r === 4 ? [1, shape[0]!] : r === 5 ? [shape[0]!, shape[1]!] : [1, 1];
  return { outer, cube };
}

/** Places a tensor's elements in a box of at most maxWidth × maxHeight pixels. */
export function place(shape: Shape, maxWidth: number, maxHeight: number, maxCell = 44): Placement {
  const { outer, cube } = parts(shape);
  const ext = cubeExtent(...cube);
  const unitsW = outer[1] * ext.w + (outer[1] - 1) * GAP;
  const unitsH = outer[0] * ext.h + (outer[0] - 1) * GAP;
  const cell = Math.max(
    1,
    Math.min(maxCell, maxWidth / Math.max(unitsW, 1), maxHeight / Math.max(unitsH, 1)),
  );
  const depth = cube[2];
  const index = (k: number) => (shape.length ? indexOf(k, shape) : []);
  return {
    cell,
    width: unitsW * cell,
    height: unitsH * cell,
    at(k) {
      const i = index(k);
      const r = shape.length;
      let row = 0;
      let col = 0;
      let d = 0;
      if (r === 1) col = i[0]!;
      else if (r === 2) [row, col] = [i[0]!, i[1]!];
      else if (r >= 3) [row, col, d] = [i[r - 3]!, i[r - 2]!, i[r - 1]!];
      const [outerRow, outerCol] = r === 4 ? [0, i[0]!] : r === 5 ? [i[0]!, i[1]!] : [0, 0];
      const ox = outerCol * (ext.w + GAP);
      const oy = outerRow * (ext.h + GAP);
      // Plane d sits d steps back: right and up, so the front plane (d = 0) is lowest-left.
      const step = depthStep(cube[0], cube[1]);
      const back = Math.max(0, depth - 1) * step;
      return {
        x: (ox + col + d * step) * cell,
        y: (oy + back + row - d * step) * cell,
        depth: d,
        plane: `${outerRow},${outerCol},${d}`,
      };
    },
  };
}

/** A default shape for a rank, small enough to read every value. */
export function defaultShape(rank: number): number[] {
  return [[], [6], [3, 4], [2, 3, 4], [2, 2, 3, 3], [2, 2, 2, 2, 3]][rank] ?? [];
}

export function checkDrawable(shape: Shape): void {
  if (shape.length > MAX_RANK)
    throw new Error(`the explorer draws ranks 0 to ${MAX_RANK}, not ${shape.length}`);
  if (sizeOf(shape) > 4096) {
    throw new Error(
      `[${shape.join(", ")}] has ${sizeOf(shape)} values: the explorer draws at most 4,096`,
    );
  }
}
