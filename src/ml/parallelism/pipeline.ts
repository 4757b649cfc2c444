/**
 * GPipe's schedule for two stages, in one engine (the reference the workers are checked
 * against), and the arithmetic of the pipeline's idle "bubble" from a timeline.
 */
import type * as TF from "@tensorflow/tfjs";
import { microBatches, oneHotRows, pixelRows, type Stage, type Tf } from "./mlp.ts";

/** What a stage did and when (ms since the epoch, so workers' clocks compare). */
export interface StageEvent {
  stage: number;
  /** F forward, B backward, FB a last stage's forward and backward in one */
  kind: "F" | "B" | "FB" | "G";
  micro: number;
  t0: number;
  t1: number;
}

/**
 * One synchronous pipelined step: every micro-batch forward through stage 0 then stage 1
 * (which also computes the loss and its gradient), then every backward through stage 0, then
 * one SGD step in each stage with the gradients summed over micro-batches. Returns the loss.
 */
export function pipelineStep(
  tf: Tf,
  stages: readonly [Stage, Stage],
  data: { images: Uint8Array; labels: Uint8Array },
  start: number,
  size: number,
  micro: number,
): number {
  const [first, second] = stages;
  const sizes = microBatches(size, micro);
  const grads: TF.Tensor2D[] = [];
  let loss = 0;
  let at = start;
  sizes.forEach((n, m) => {
    const x = tf.tensor2d(pixelRows(data.images, at, n), [n, 784]);
    const a = first.forward(m, x);
    const y = tf.tensor2d(oneHotRows(data.labels, at, n), [n, 10]);
    const out = second.lossBackward(a, y, n / size);
    loss += out.loss.dataSync()[0]!;
    grads.push(out.dx!);
    tf.dispose([a, y, out.loss]);
    at += n;
  });
  grads.forEach((dy, m) => {
    first.backward(m, dy, false);
    dy.dispose();
  });
  first.step();
  second.step();
  return loss;
}

export interface Bubble {
  /** first start to last end, ms */
  span: number;
  /** busy ms per stage */
  busy: number[];
  /** the fraction of stage-time spent idle: 1 − Σ busy / (stages × span) */
  idle: number;
}

export function bubble(events: readonly StageEvent[], stages = 2): Bubble {
  if (!events.length) return { span: 0, busy: new Array<number>(stages).fill(0), idle: 0 };
  const t0 = Math.min(...events.map((e) => e.t0));
  const t1 = Math.max(...events.map((e) => e.t1));
  const busy = new Array<number>(stages).fill(0);
  for (const e of events) busy[e.stage] = busy[e.stage]! + (e.t1 - e.t0);
  const span = t1 - t0;
  const idle = span > 0 ? 1 - busy.reduce((a, b) => a + b, 0) / (stages * span) : 0;
  return { span, busy, idle };
}

/** GPipe's idle fraction for equal stages: (S − 1) / (M + S − 1). */
export function idealBubble(microBatchCount: number, stages = 2): number {
  return (stages - 1) / (microBatchCount + stages - 1);
}
