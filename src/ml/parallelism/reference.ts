/** The unsplit network trained on whole batches: what pipelined training must agree with. */
import { oneHotRows, pixelRows, Stage, type LayerParams, type Tf } from "./mlp.ts";

export function referenceStep(
  tf: Tf,
  whole: Stage,
  data: { images: Uint8Array; labels: Uint8Array },
  start: number,
  size: number,
): number {
  const x = tf.tensor2d(pixelRows(data.images, start, size), [size, 784]);
  const y = tf.tensor2d(oneHotRows(data.labels, start, size), [size, 10]);
  const { loss } = whole.lossBackward(x, y, 1, false);
  const value = loss.dataSync()[0]!;
  tf.dispose([x, y, loss]);
  whole.step();
  return value;
}

export function wholeNetwork(tf: Tf, layers: readonly LayerParams[], lr: number): Stage {
  return new Stage(tf, layers, { last: true, lr });
}
