/**
 * One playground run on TensorFlow.js: the data set, the split, the model (initialised with the
 * reference network's seeded weights, so a link reproduces a run exactly), per-epoch train and
 * test losses, and what the picture needs (the output over the heat-map grid, every neuron's
 * output over a small grid, the weights). Synchronous on purpose: it runs in a worker, where
 * reading a cpu or wasm tensor costs nothing and there is no frame to keep.
 *
 * TensorFlow.js is passed in, like tf-network.ts, so a unit test can run this in Node.
 */
import type * as TF from "@tensorflow/tfjs";
import type { PlaygroundState } from "./config.ts";
import { generateDataset, splitTrainTest, type Point } from "./datasets.ts";
import { featurize } from "./features.ts";
import { gridInputs } from "./grid.ts";
import { layerSizes, specFromState } from "./network-spec.ts";
import { rngFor } from "./random.ts";
import { RunLosses, type Losses } from "./run-losses.ts";
import type { TrainerCheckpoint } from "./js-trainer.ts";
import { createNetwork, getWeights, unflattenWeights } from "./reference-network.ts";
import { classifyChange } from "./state-diff.ts";
import {
  createTfNetwork,
  disposeTfNetwork,
  setHyperparameters,
  setTfWeights,
  toTensors,
  trainTfBatch,
  type Tf,
  type TfNetwork,
} from "./tf-network.ts";

/** The points a state trains and tests on: the same on the main thread and in the worker. */
export function pointsFor(state: PlaygroundState): { train: Point[]; test: Point[] } {
  const points = generateDataset(state.dataset, { noise: state.noise, seed: state.seed });
  return splitTrainTest(points, state.trainRatio, state.seed);
}

/** The initial parameters for a state: the reference network's, drawn from the seed. */
export function initialWeights(state: PlaygroundState) {
  const spec = specFromState(state);
  const reference = createNetwork(
    layerSizes(spec),
    spec.activation,
    spec.outputActivation,
    spec.regularization,
    rngFor(state.seed, "weights"),
  );
  return getWeights(reference);
}

export interface TrainerOptions {
  /** side of the heat-map grid (grid.ts): the output is computed at n × n points */
  gridSize: number;
  /** side of the neuron thumbnails' grid */
  thumbSize: number;
}

interface Batches {
  size: number;
  xs: TF.Tensor2D[];
  ys: TF.Tensor2D[];
}

interface Data {
  train: { xs: TF.Tensor2D; ys: TF.Tensor2D };
  test: { xs: TF.Tensor2D; ys: TF.Tensor2D };
  grid: TF.Tensor2D;
  thumbs: TF.Tensor2D;
}

export class PlaygroundTrainer {
  readonly tf: Tf;
  readonly options: TrainerOptions;
  #state: PlaygroundState;
  #net: TfNetwork;
  #data: Data;
  #batches: Batches | undefined;
  // Measured when someone looks (once per frame), not after every epoch: the loss pass costs
  // about a tenth of an epoch, and the chart draws once per frame anyway.
  readonly #losses = new RunLosses(() => this.#measure());

  constructor(tf: Tf, state: PlaygroundState, options: TrainerOptions) {
    this.tf = tf;
    this.options = options;
    this.#state = state;
    this.#data = this.#makeData(state);
    this.#net = createTfNetwork(tf, specFromState(state), initialWeights(state));
    this.#losses.begin(0);
  }

  /** bumped whenever the run starts afresh (new data, new network, reset) */
  get run(): number {
    return this.#losses.run;
  }

  get state(): PlaygroundState {
    return this.#state;
  }

  get epoch(): number {
    return this.#losses.epoch;
  }

  get trainLoss(): number {
    return this.#losses.current().train;
  }

  get testLoss(): number {
    return this.#losses.current().test;
  }

  /** Applies a new state: live for hyperparameters, a fresh run for data or architecture. */
  setState(next: PlaygroundState): "data" | "network" | "hyper" | "view" | "none" {
    const kind = classifyChange(this.#state, next);
    this.#state = next;
    if (kind === "data") {
      this.#disposeData();
      this.#data = this.#makeData(next);
      this.reset();
    } else if (kind === "network") {
      this.reset();
    } else if (kind === "hyper") {
      setHyperparameters(this.#net, {
        learningRate: next.learningRate,
        batchSize: next.batchSize,
        regularization: next.regularization,
        regularizationRate: next.regularizationRate,
      });
    }
    return kind;
  }

  /** Back to epoch 0 with the seed's initial weights. */
  reset(): void {
    disposeTfNetwork(this.#net);
    this.#net = createTfNetwork(this.tf, specFromState(this.#state), initialWeights(this.#state));
    this.#losses.begin(this.run + 1);
  }

  /** One pass over the training points in their (seeded) order, one SGD step per batch. */
  trainEpoch(): void {
    const batches = this.#batchesFor(this.#net.spec.batchSize);
    for (let i = 0; i < batches.xs.length; i++) {
      trainTfBatch(this.#net, batches.xs[i] as TF.Tensor2D, batches.ys[i] as TF.Tensor2D);
    }
    this.#losses.trained();
  }

  /** The losses measured since the last call, as [epoch, train, test] triples, the current one included. */
  takeLosses(): Float64Array {
    return this.#losses.take();
  }

  checkpoint(): TrainerCheckpoint {
    return { run: this.run, epoch: this.epoch, weights: Float64Array.from(this.weights()) };
  }

  restore(from: TrainerCheckpoint): void {
    if (from.weights)
      setTfWeights(this.#net, unflattenWeights(from.weights, initialWeights(this.#state)));
    this.#losses.begin(from.run, from.weights ? from.epoch : 0);
  }

  /** Kernels and biases, layer by layer, flat (reference-network's `flattenWeights` order). */
  weights(): Float32Array {
    const parts = this.#net.variables.map((v) => v.dataSync() as Float32Array);
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /**
   * The model's output over the heat-map grid (gridSize², row-major, row 0 at the top) and every
   * hidden neuron's output over the thumbnail grid (thumbSize² per neuron, layer by layer).
   */
  pictures(): { output: Float32Array; neurons: Float32Array } {
    const { tf } = this;
    const layers = this.#net.model.layers;
    const [output, neurons] = tf.tidy(() => {
      let h: TF.Tensor = this.#data.grid;
      for (const layer of layers) h = layer.apply(h) as TF.Tensor;
      const hidden: TF.Tensor[] = [];
      let t: TF.Tensor = this.#data.thumbs;
      for (const layer of layers.slice(0, -1)) {
        t = layer.apply(t) as TF.Tensor;
        // [points, units] → [units, points]: one thumbnail after another
        hidden.push(t.transpose());
      }
      const flat = hidden.length ? tf.concat(hidden.map((x) => x.flatten())) : tf.zeros([0]);
      return [h.flatten(), flat];
    });
    const out = {
      output: output.dataSync() as Float32Array,
      neurons: neurons.dataSync() as Float32Array,
    };
    tf.dispose([output, neurons]);
    // dataSync may hand back the backend's own buffer: copy, since the caller transfers them
    return { output: out.output.slice(), neurons: out.neurons.slice() };
  }

  dispose(): void {
    disposeTfNetwork(this.#net);
    this.#disposeData();
  }

  #measure(): Losses {
    const { tf } = this;
    const { train, test } = this.#data;
    const loss = (xs: TF.Tensor2D, ys: TF.Tensor2D): TF.Scalar =>
      xs.shape[0] === 0
        ? tf.scalar(0)
        : tf
            .squaredDifference(this.#net.model.apply(xs) as TF.Tensor, ys)
            .mean()
            .mul(0.5);
    const both = tf.tidy(() => tf.stack([loss(train.xs, train.ys), loss(test.xs, test.ys)]));
    const values = both.dataSync();
    both.dispose();
    return { train: values[0] as number, test: values[1] as number };
  }

  #makeData(state: PlaygroundState): Data {
    const { tf } = this;
    const { train, test } = pointsFor(state);
    const { gridSize, thumbSize } = this.options;
    const f = state.features.length;
    return {
      train: toTensors(tf, featurize(train, state.features)),
      test: toTensors(tf, featurize(test, state.features)),
      grid: tf.tensor2d(gridInputs(gridSize, state.features), [gridSize * gridSize, f]),
      thumbs: tf.tensor2d(gridInputs(thumbSize, state.features), [thumbSize * thumbSize, f]),
    };
  }

  #batchesFor(batchSize: number): Batches {
    const size = Math.max(1, Math.floor(batchSize));
    if (this.#batches?.size === size) return this.#batches;
    this.#disposeBatches();
    const { xs, ys } = this.#data.train;
    const n = xs.shape[0];
    const batches: Batches = { size, xs: [], ys: [] };
    for (let start = 0; start < n; start += size) {
      const rows = Math.min(size, n - start);
      batches.xs.push(xs.slice(start, rows));
      batches.ys.push(ys.slice(start, rows));
    }
    this.#batches = batches;
    return batches;
  }

  #disposeBatches(): void {
    if (!this.#batches) return;
    this.tf.dispose([...this.#batches.xs, ...this.#batches.ys]);
    this.#batches = undefined;
  }

  #disposeData(): void {
    this.#disposeBatches();
    const { train, test, grid, thumbs } = this.#data;
    this.tf.dispose([train.xs, train.ys, test.xs, test.ys, grid, thumbs]);
  }
}
