/**
 * The losses of the current run, epoch by epoch, as the chart needs them (no DOM). The worker
 * measures them once per frame, not every epoch: epochs in between are interpolated.
 */
import type { LossBatch } from "../../ml/playground/client.ts";

export class LossHistory {
  run = -1;
  train: number[] = [];
  test: number[] = [];

  /** Adds losses; a batch of a newer run starts the history afresh, an older run's is dropped. */
  add(batch: LossBatch): void {
    if (batch.run < this.run) return;
    if (batch.run > this.run) {
      this.run = batch.run;
      this.train = [];
      this.test = [];
    }
    for (let k = 0; k + 2 < batch.triples.length; k += 3) {
      const epoch = batch.triples[k] as number;
      this.#set(this.train, epoch, batch.triples[k + 1] as number);
      this.#set(this.test, epoch, batch.triples[k + 2] as number);
    }
  }

  /** Sets one epoch's loss, filling the epochs since the last measured one on a straight line. */
  #set(series: number[], epoch: number, value: number): void {
    const last = series.length - 1;
    if (last >= 0 && epoch > last + 1) {
      const from = series[last] as number;
      for (let e = last + 1; e < epoch; e++)
        series[e] = from + ((value - from) * (e - last)) / (epoch - last);
    }
    series[epoch] = value;
  }

  get length(): number {
    return this.train.length;
  }

  /** The largest loss recorded (for the chart's scale), at least `floor`. */
  max(floor = 0): number {
    let m = floor;
    for (let i = 0; i < this.train.length; i++) {
      m = Math.max(m, this.train[i] ?? 0, this.test[i] ?? 0);
    }
    return m;
  }
}

/** At most `points` evenly spread indices from 0 to n − 1, the last always included. */
export function sampleIndices(n: number, points: number): number[] {
  if (n <= 0) return [];
  if (n <= points) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < points; k++) out.push(Math.round((k * (n - 1)) / (points - 1)));
  return out;
}
