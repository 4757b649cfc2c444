/**
 * Gradient descent on a reader's loss surface f(x, y): each step moves against the gradient
 * that tf.grads computes, by the learning rate. Too large a rate overshoots and diverges; the
 * path says so instead of filling with NaN.
 */
import type * as TF from "@tensorflow/tfjs";
import { compileFormula, parseFormula, type Tf } from "./formula.ts";

export interface DescentPoint {
  x: number;
  y: number;
  loss: number;
}

export interface Descent {
  path: DescentPoint[];
  /** the step at which |loss| or the position blew up, if it did */
  divergedAt: number | undefined;
}

/** Values beyond this are taken as divergence (the float32 range is near). */
export const DIVERGED = 1e6;

/** A surface f(x, y) from its formula, as a function of two scalar tensors. */
export function surface(tf: Tf, source: string): (x: TF.Tensor, y: TF.Tensor) => TF.Tensor {
  const f = compileFormula(tf, parseFormula(source, ["x", "y"]));
  return (x, y) => f({ x, y });
}

/** Steps of plain gradient descent from a start point. */
export function descend(
  tf: Tf,
  f: (x: TF.Tensor, y: TF.Tensor) => TF.Tensor,
  start: readonly [number, number],
  learningRate: number,
  steps: number,
): Descent {
  const grads = tf.grads((x: TF.Tensor, y: TF.Tensor) => f(x, y) as TF.Scalar);
  let [x, y] = start;
  const path: DescentPoint[] = [];
  let divergedAt: number | undefined;
  for (let step = 0; step <= steps; step++) {
    const [loss, gx, gy] = tf.tidy(() => {
      const xs = tf.scalar(x);
      const ys = tf.scalar(y);
      const [dx, dy] = grads([xs, ys]);
      return [f(xs, ys).dataSync()[0]!, dx!.dataSync()[0]!, dy!.dataSync()[0]!];
    });
    path.push({ x, y, loss });
    const blown = [x, y, loss].some((v) => !Number.isFinite(v) || Math.abs(v) > DIVERGED);
    if (blown) {
      divergedAt = step;
      break;
    }
    if (step === steps) break;
    x -= learningRate * gx;
    y -= learningRate * gy;
  }
  return { path, divergedAt };
}

/** f on a grid of n × n points of [−r, r]², row by row (y from top), for a contour plot. */
export function sampleSurface(
  tf: Tf,
  f: (x: TF.Tensor, y: TF.Tensor) => TF.Tensor,
  range: number,
  n: number,
): Float32Array {
  return tf.tidy(() => {
    const xs = tf.linspace(-range, range, n);
    const ys = tf.linspace(range, -range, n);
    const gx = xs.reshape([1, n]).tile([n, 1]);
    const gy = ys.reshape([n, 1]).tile([1, n]);
    return f(gx, gy).dataSync() as Float32Array;
  });
}

/**
 * The same descent one step at a time, reading each step asynchronously so that the page keeps
 * its frames (a chart can draw each point as it lands). Ends after `steps` or on divergence.
 */
export async function* descentSteps(
  tf: Tf,
  f: (x: TF.Tensor, y: TF.Tensor) => TF.Tensor,
  start: readonly [number, number],
  learningRate: number,
  steps: number,
): AsyncGenerator<DescentPoint & { step: number; diverged: boolean }> {
  const grads = tf.grads((x: TF.Tensor, y: TF.Tensor) => f(x, y) as TF.Scalar);
  let [x, y] = start;
  for (let step = 0; step <= steps; step++) {
    const out = tf.tidy(() => {
      const xs = tf.scalar(x);
      const ys = tf.scalar(y);
      const [dx, dy] = grads([xs, ys]);
      return tf.stack([f(xs, ys).reshape([]), dx!.reshape([]), dy!.reshape([])]);
    });
    const [loss, gx, gy] = Array.from(await out.data());
    out.dispose();
    const diverged = [x, y, loss!].some((v) => !Number.isFinite(v) || Math.abs(v) > DIVERGED);
    yield { x, y, loss: loss!, step, diverged };
    if (diverged) return;
    x -= learningRate * gx!;
    y -= learningRate * gy!;
  }
}
