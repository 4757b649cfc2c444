/**
 * The benchmark's reference: the playground trained the way TensorFlow Playground trains it, on
 * the main thread with the plain-TypeScript reference network (per-example backpropagation, one
 * step per batch), one epoch per animation frame, then every neuron's output over the same
 * 100 × 100 grid, the same heat map, thumbnails and loss chart redrawn, every frame.
 * `window.__reference.start()` starts it; `window.__reference` reports epoch and losses.
 */
import { defaultState } from "../../src/ml/playground/config.ts";
import { featurize } from "../../src/ml/playground/features.ts";
import { layerSizes, specFromState } from "../../src/ml/playground/network-spec.ts";
import {
  createNetwork,
  loss,
  neuronGrids,
  trainEpoch,
} from "../../src/ml/playground/reference-network.ts";
import { rngFor } from "../../src/ml/playground/random.ts";
import { pointsFor } from "../../src/ml/playground/trainer.ts";
import { GridCanvas, PointsLayer } from "../../src/ui/playground/heatmap.ts";
import { LossChart } from "../../src/ui/playground/loss-chart.ts";
import { LossHistory } from "../../src/ui/playground/loss-history.ts";
import { GRID_SIZE, THUMB_SIZE } from "../../src/ui/playground/sizes.ts";

interface ReferenceHooks {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  running: boolean;
  start(): void;
  stop(): void;
}

declare global {
  interface Window {
    __reference: ReferenceHooks;
  }
}

const state = defaultState();
const spec = specFromState(state);
const data = pointsFor(state);
const train = featurize(data.train, state.features);
const test = featurize(data.test, state.features);
const net = createNetwork(
  layerSizes(spec),
  spec.activation,
  spec.outputActivation,
  spec.regularization,
  rngFor(state.seed, "weights"),
);

const heat = new GridCanvas(GRID_SIZE, 260, "heat");
const points = new PointsLayer(260);
points.draw(data.train, data.test, false);
document.getElementById("heat")?.append(heat.element, points.element);
const chart = new LossChart(260, 64);
document.getElementById("chart")?.append(chart.element);
const thumbs = spec.hiddenLayers.map((units) =>
  Array.from({ length: units }, () => new GridCanvas(THUMB_SIZE, 34, "thumb")),
);
document.getElementById("thumbs")?.append(...thumbs.flat().map((t) => t.element));
const history = new LossHistory();
const step = Math.floor(GRID_SIZE / THUMB_SIZE);
const small = new Float32Array(THUMB_SIZE * THUMB_SIZE);

const hooks: ReferenceHooks = {
  epoch: 0,
  trainLoss: loss(net, train),
  testLoss: loss(net, test),
  running: false,
  start() {
    if (hooks.running) return;
    hooks.running = true;
    requestAnimationFrame(frame);
  },
  stop() {
    hooks.running = false;
  },
};
window.__reference = hooks;

function frame(): void {
  if (!hooks.running) return;
  trainEpoch(net, train, spec.batchSize, spec.learningRate, spec.regularizationRate);
  hooks.epoch++;
  hooks.trainLoss = loss(net, train);
  hooks.testLoss = loss(net, test);
  history.add({ run: 0, triples: [hooks.epoch, hooks.trainLoss, hooks.testLoss] });
  // every neuron over the whole grid, as TensorFlow Playground computes it each frame
  const grids = neuronGrids(net, GRID_SIZE, state.features);
  heat.paint(grids.at(-1)?.[0] ?? new Float32Array(GRID_SIZE * GRID_SIZE));
  thumbs.forEach((layer, l) =>
    layer.forEach((canvas, j) => {
      const full = grids[l + 1]?.[j];
      if (!full) return;
      for (let r = 0; r < THUMB_SIZE; r++)
        for (let c = 0; c < THUMB_SIZE; c++)
          small[r * THUMB_SIZE + c] = full[r * step * GRID_SIZE + c * step] as number;
      canvas.paint(small);
    }),
  );
  chart.draw(history);
  document.getElementById("epoch")!.textContent = String(hooks.epoch);
  document.getElementById("test")!.textContent = hooks.testLoss.toFixed(3);
  document.getElementById("train")!.textContent = hooks.trainLoss.toFixed(3);
  requestAnimationFrame(frame);
}
