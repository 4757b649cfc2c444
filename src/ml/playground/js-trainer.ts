/**
 * One playground run on the reference network itself (plain TypeScript over Float64Arrays, the
 * arithmetic of TensorFlow Playground): the same surface as `PlaygroundTrainer`, for the worker.
 * A network of a few dozen weights and 250 points is far below what TensorFlow.js's per-op
 * overhead pays off for: this trains about ten times as many epochs per second, and its loss
 * trace is the reference's by construction.
 */
import type { PlaygroundState } from "./config.ts";
import type { Example } from "./features.ts";
import { featurize } from "./features.ts";
import { layerSizes, specFromState } from "./network-spec.ts";
import {
  createNetwork,
  flattenWeights,
  getWeights,
  unflattenWeights,
  loss,
  neuronGrids,
  setWeights,
  trainEpoch,
  type Network,
} from "./reference-network.ts";
import { rngFor } from "./random.ts";
import { RunLosses } from "./run-losses.ts";
import { classifyChange } from "./state-diff.ts";
import { initialWeights, pointsFor, type TrainerOptions } from "./trainer.ts";

/**
 * Where a run is, to carry it over to a new worker (the slide was left and shown again): the
 * run's number and epoch, and its weights in `flattenWeights` order. Without weights, a fresh
 * run numbered `run`.
 */
export interface TrainerCheckpoint {
  run: number;
  epoch: number;
  weights?: Float64Array;
}

/** What the training session needs of a trainer. */
export interface Trainer {
  readonly state: PlaygroundState;
  readonly epoch: number;
  readonly trainLoss: number;
  readonly testLoss: number;
  readonly run: number;
  setState(next: PlaygroundState): "data" | "network" | "hyper" | "view" | "none";
  reset(): void;
  trainEpoch(): void;
  takeLosses(): Float64Array;
  weights(): Float32Array;
  pictures(): { output: Float32Array; neurons: Float32Array };
  checkpoint(): TrainerCheckpoint;
  /** Continues from a checkpoint of a run with the same data and network (throws otherwise). */
  restore(from: TrainerCheckpoint): void;
  dispose(): void;
}

export class JsTrainer implements Trainer {
  readonly options: TrainerOptions;
  #state: PlaygroundState;
  #net: Network;
  #train: Example[] = [];
  #test: Example[] = [];
  readonly #losses = new RunLosses(() => ({
    train: loss(this.#net, this.#train),
    test: loss(this.#net, this.#test),
  }));

  constructor(state: PlaygroundState, options: TrainerOptions) {
    this.options = options;
    this.#state = state;
    this.#makeData(state);
    this.#net = this.#fresh(state);
    this.#losses.begin(0);
  }

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

  setState(next: PlaygroundState): "data" | "network" | "hyper" | "view" | "none" {
    const kind = classifyChange(this.#state, next);
    const before = this.#state;
    this.#state = next;
    if (kind === "data") {
      this.#makeData(next);
      this.reset();
    } else if (kind === "network") {
      this.reset();
    } else if (kind === "hyper" && before.regularization !== next.regularization) {
      // The penalty is part of the network's make-up here: same weights, new penalty.
      const weights = getWeights(this.#net);
      this.#net = this.#fresh(next);
      setWeights(this.#net, weights);
    }
    return kind;
  }

  reset(): void {
    this.#net = this.#fresh(this.#state);
    this.#losses.begin(this.run + 1);
  }

  trainEpoch(): void {
    const s = this.#state;
    trainEpoch(this.#net, this.#train, s.batchSize, s.learningRate, s.regularizationRate);
    this.#losses.trained();
  }

  takeLosses(): Float64Array {
    return this.#losses.take();
  }

  weights(): Float32Array {
    return Float32Array.from(flattenWeights(getWeights(this.#net)));
  }

  pictures(): { output: Float32Array; neurons: Float32Array } {
    const { gridSize, thumbSize } = this.options;
    const features = this.#state.features;
    const output = neuronGrids(this.#net, gridSize, features).at(-1)?.[0];
    const hidden = neuronGrids(this.#net, thumbSize, features).slice(1, -1).flat();
    const neurons = new Float32Array(hidden.length * thumbSize * thumbSize);
    hidden.forEach((grid, i) => neurons.set(grid, i * thumbSize * thumbSize));
    return { output: output ?? new Float32Array(gridSize * gridSize), neurons };
  }

  checkpoint(): TrainerCheckpoint {
    return { run: this.run, epoch: this.epoch, weights: flattenWeights(getWeights(this.#net)) };
  }

  restore(from: TrainerCheckpoint): void {
    if (from.weights) setWeights(this.#net, unflattenWeights(from.weights, getWeights(this.#net)));
    this.#losses.begin(from.run, from.weights ? from.epoch : 0);
  }

  dispose(): void {}

  #fresh(state: PlaygroundState): Network {
    const spec = specFromState(state);
    const net = createNetwork(
      layerSizes(spec),
      spec.activation,
      spec.outputActivation,
      spec.regularization,
      rngFor(state.seed, "weights"),
    );
    setWeights(net, initialWeights(state));
    return net;
  }

  #makeData(state: PlaygroundState): void {
    const { train, test } = pointsFor(state);
    this.#train = featurize(train, state.features);
    this.#test = featurize(test, state.features);
  }
}
