/**
 * Combining the workers' gradients, two ways, with the bytes each node moves per step.
 *
 * Parameter server (TensorFlow in 2016): every worker sends its gradient to the server and gets
 * the new parameters back. Per worker that is one gradient up and one model down, but the server
 * receives N gradients and sends N models: its link carries 2N models a step and becomes the
 * bottleneck as N grows.
 *
 * Ring all-reduce (Baidu 2017, Horovod, NCCL): the workers form a ring and the gradient is cut
 * into N chunks. In N − 1 reduce-scatter steps each worker passes one chunk to its neighbour,
 * which adds its own; then each worker holds one fully summed chunk, and N − 1 all-gather steps
 * pass the finished chunks round. Each worker sends 2(N − 1)/N gradients a step, whatever N is,
 * and no node carries more than that.
 */
import { dequantize, quantize, wireBytes, type WireBits } from "../quantize/affine.ts";

export type Aggregation = "ps" | "ring";

export interface Traffic {
  /** bytes one worker sends in a step */
  sentPerWorker: number;
  /** bytes one worker receives in a step */
  receivedPerWorker: number;
  /** bytes in and out of the busiest node (the server, for a parameter server) */
  busiestNode: number;
}

/** The element-wise mean of equal-length arrays, in `into` (overwritten) or a fresh array. */
export function average(gradients: Float32Array[], into?: Float32Array): Float32Array {
  const n = gradients.length;
  if (n === 0) throw new RangeError("no gradients to average");
  const length = gradients[0]!.length;
  const out = into?.length === length ? into.fill(0) : new Float32Array(length);
  // on the page, between a step's last gradient and the next step: one tight pass per gradient
  for (const g of gradients) for (let i = 0; i < length; i++) out[i]! += g[i]!;
  for (let i = 0; i < length; i++) out[i]! /= n;
  return out;
}

/** Traffic of one parameter-server step: gradients up at `bits`, float32 parameters down. */
export function parameterServerTraffic(workers: number, values: number, bits: WireBits): Traffic {
  const up = wireBytes(values, bits);
  const down = values * 4;
  return { sentPerWorker: up, receivedPerWorker: down, busiestNode: workers * (up + down) };
}

/** Where chunk c of a ring of n starts, for `length` values. */
function chunkBounds(length: number, n: number, c: number): [number, number] {
  return [Math.floor((c * length) / n), Math.floor(((c + 1) * length) / n)];
}

/** What a chunk becomes on the wire: itself at 32 bits, else quantized and back. */
function onWire(chunk: Float32Array, bits: WireBits): Float32Array {
  if (bits === 32 || chunk.length === 0) return chunk.slice();
  return dequantize(quantize(chunk, bits));
}

export interface RingResult {
  /** the averaged gradient each worker ends with (all equal) */
  averaged: Float32Array[];
  traffic: Traffic;
}

/**
 * Runs a ring all-reduce over the workers' gradients exactly as the ring would, message by
 * message (one chunk per worker per step), quantizing every chunk it sends at `bits`, and counts
 * the bytes. Returns every worker's copy of the average so tests can check they agree.
 */
export function ringAllReduce(gradients: Float32Array[], bits: WireBits = 32): RingResult {
  const n = gradients.length;
  if (n === 0) throw new RangeError("no gradients to reduce");
  const length = gradients[0]!.length;
  const buffers = gradients.map((g) => g.slice());
  const sentBy = new Array<number>(n).fill(0);
  // reduce-scatter: at step s, worker i sends chunk (i − s) mod n to worker i + 1, which adds it
  for (let s = 0; s < n - 1; s++) {
    const messages = buffers.map((buffer, i) => {
      const c = (((i - s) % n) + n) % n;
      const [a, b] = chunkBounds(length, n, c);
      sentBy[i]! += wireBytes(b - a, bits);
      return { to: (i + 1) % n, a, values: onWire(buffer.subarray(a, b), bits) };
    });
    for (const { to, a, values } of messages) {
      const target = buffers[to]!;
      for (let k = 0; k < values.length; k++) target[a + k] = target[a + k]! + values[k]!;
    }
  }
  // worker i now holds the full sum of chunk (i + 1) mod n; it is quantized once and passed on
  for (let i = 0; i < n && n > 1; i++) {
    const [a, b] = chunkBounds(length, n, (i + 1) % n);
    buffers[i]!.set(onWire(buffers[i]!.subarray(a, b), bits), a);
  }
  // all-gather: at step s, worker i forwards chunk (i + 1 − s) mod n, which it has in full
  for (let s = 0; s < n - 1; s++) {
    const messages = buffers.map((buffer, i) => {
      const c = (((i + 1 - s) % n) + n) % n;
      const [a, b] = chunkBounds(length, n, c);
      sentBy[i]! += wireBytes(b - a, bits);
      return { to: (i + 1) % n, a, values: buffer.slice(a, b) };
    });
    for (const { to, a, values } of messages) buffers[to]!.set(values, a);
  }
  for (const buffer of buffers) for (let k = 0; k < length; k++) buffer[k] = buffer[k]! / n;
  const sent = Math.max(...sentBy); // the ring is symmetric up to chunk sizes
  return {
    averaged: buffers,
    traffic: { sentPerWorker: sent, receivedPerWorker: sent, busiestNode: 2 * sent },
  };
}

/** Traffic of one ring step without running it (for the display before a run). */
export function ringTraffic(workers: number, values: number, bits: WireBits): Traffic {
  const per = workers < 2 ? 0 : 2 * (workers - 1) * wireBytes(Math.ceil(values / workers), bits);
  return { sentPerWorker: per, receivedPerWorker: per, busiestNode: 2 * per };
}

/**
 * How the gradients of one step are combined. "mean" is the plain average: one member sending
 * a gradient a thousand times too large moves the average by as much. "median" takes each
 * coordinate's median, and "trimmed" drops each coordinate's largest and smallest values (a
 * fifth from each end, at least one when there are three or more) before averaging: with
 * honest members in the majority, one hostile member cannot drag either far (Yin et al. 2018).
 */
export type Combine = "mean" | "median" | "trimmed";

/** The element-wise median of equal-length arrays. */
export function median(gradients: Float32Array[]): Float32Array {
  const n = gradients.length;
  if (n === 0) throw new RangeError("no gradients to combine");
  const out = new Float32Array(gradients[0]!.length);
  const column = new Float64Array(n);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < n; k++) column[k] = gradients[k]![i]!;
    column.sort();
    out[i] = n % 2 ? column[(n - 1) / 2]! : (column[n / 2 - 1]! + column[n / 2]!) / 2;
  }
  return out;
}

/** The element-wise mean after dropping `trim` values from each end of every coordinate. */
export function trimmedMean(gradients: Float32Array[], trim?: number): Float32Array {
  const n = gradients.length;
  if (n === 0) throw new RangeError("no gradients to combine");
  const cut = Math.min(
    Math.floor((n - 1) / 2),
    trim ?? (n >= 3 ? Math.max(1, Math.floor(n / 5)) : 0),
  );
  if (cut === 0) return average(gradients);
  const out = new Float32Array(gradients[0]!.length);
  const column = new Float64Array(n);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < n; k++) column[k] = gradients[k]![i]!;
    column.sort();
    let sum = 0;
    for (let k = cut; k < n - cut; k++) sum += column[k]!;
    out[i] = sum / (n - 2 * cut);
  }
  return out;
}

/**
 * Gradients of unequal batches, scaled so that their plain mean is the mean over all the examples
 * (a member that computed k batches weighs k times one that computed one). Equal counts come back
 * as they are, so equal batches average exactly as before.
 */
export function weightByCount(gradients: Float32Array[], counts: number[]): Float32Array[] {
  if (counts.every((c) => c === counts[0])) return gradients;
  const n = gradients.length;
  const total = counts.reduce((s, c) => s + c, 0);
  return gradients.map((g, i) => {
    const scale = (counts[i]! * n) / total;
    return g.map((v) => v * scale);
  });
}

/** `into`, where given, may receive the mean (not the median or trimmed mean). */
export function combine(
  gradients: Float32Array[],
  how: Combine = "mean",
  into?: Float32Array,
): Float32Array {
  if (gradients.length === 1) return gradients[0]!;
  if (how === "median") return median(gradients);
  if (how === "trimmed") return trimmedMean(gradients);
  return average(gradients, into);
}

export function l2Norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}

/** Scales `values` in place so that its norm is at most `max`; returns the norm before. */
export function clipByNorm(values: Float32Array, max: number): number {
  const norm = l2Norm(values);
  if (norm > max && max > 0) {
    const scale = max / norm;
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * scale;
  }
  return norm;
}
