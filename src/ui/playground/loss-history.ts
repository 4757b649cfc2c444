/** The losses of the current run, epoch by epoch, as the chart needs them (no DOM). */
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
    for (let k = 0; k + 1 < batch.pairs.length; k += 2) {
      const epoch = batch.from + k / 2;
      this.train[epoch] = batch.pairs[k] as number;
      this.test[epoch] = batch.pairs[k + 1] as number;
    }
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
