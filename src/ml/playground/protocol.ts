/**
 * The messages between the playground's page and its training worker. The page sends commands
 * and a "pull" once per frame when it can draw; the worker answers a pull with at most one
 * snapshot, whose arrays are transferred, not copied.
 */
import { decodeState, encodeState, type PlaygroundState } from "./config.ts";
import type { TrainerCheckpoint } from "./js-trainer.ts";

/** "js": the reference network in plain TypeScript; the others: TensorFlow.js backends. */
export const WORKER_BACKENDS = ["js", "wasm", "cpu"] as const;
export type WorkerBackend = (typeof WORKER_BACKENDS)[number];

export type ToWorker =
  | {
      type: "init";
      state: PlaygroundState;
      gridSize: number;
      thumbSize: number;
      backend: WorkerBackend;
      /** carry on from here (a worker restarted when its slide was shown again) */
      from?: TrainerCheckpoint;
    }
  | { type: "state"; state: PlaygroundState }
  | { type: "play" }
  | { type: "pause" }
  | { type: "step" }
  | { type: "reset" }
  | { type: "pull" }
  /** asks where the run is, before the page ends the worker */
  | { type: "checkpoint" };

export interface Snapshot {
  /** bumped when the run starts afresh: losses of an older run are dropped */
  run: number;
  epoch: number;
  playing: boolean;
  trainLoss: number;
  testLoss: number;
  /** [epoch, train, test] triples measured since the previous snapshot, epochs increasing */
  losses: Float64Array;
  /** kernels and biases, layer by layer (the layout of `flattenWeights`) */
  weights: Float32Array;
  /** the output over the gridSize² heat-map grid */
  output: Float32Array;
  /** each hidden neuron's output over the thumbSize² grid, one after another */
  neurons: Float32Array;
  /** the state this snapshot was computed for, as `encodeState(…, {full: true})` */
  state: string;
  /** epochs per second over the last second of training, 0 when not training */
  epochsPerSecond: number;
}

export type FromWorker =
  | { type: "ready"; backend: string }
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "checkpoint"; checkpoint: TrainerCheckpoint }
  | { type: "error"; message: string };

/** The buffers a snapshot hands over to the page (each array owns its buffer). */
export function transferables(snapshot: Snapshot): ArrayBuffer[] {
  return [snapshot.losses, snapshot.weights, snapshot.output, snapshot.neurons].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

export function stateKey(state: PlaygroundState): string {
  return encodeState(state, { full: true });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** A state that survived structured cloning: re-read through the URL form, which validates it. */
function validState(value: unknown): PlaygroundState | undefined {
  if (!isRecord(value) || !Array.isArray(value.features) || !Array.isArray(value.hiddenLayers))
    return undefined;
  const { state, problems } = decodeState(stateKey(value as unknown as PlaygroundState));
  return problems.length === 0 ? state : undefined;
}

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0;

/** A checkpoint that survived structured cloning; `undefined` for anything else. */
function validCheckpoint(value: unknown): TrainerCheckpoint | undefined {
  if (!isRecord(value) || !isCount(value.run) || !isCount(value.epoch)) return undefined;
  if (value.weights === undefined) return { run: value.run, epoch: value.epoch };
  if (!(value.weights instanceof Float64Array) || !value.weights.every(Number.isFinite))
    return undefined;
  return { run: value.run, epoch: value.epoch, weights: value.weights };
}

const isSide = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n >= 2 && n <= 400;

/** Checks a message from the page; `undefined` for anything malformed. */
export function parseToWorker(data: unknown): ToWorker | undefined {
  if (!isRecord(data) || typeof data.type !== "string") return undefined;
  switch (data.type) {
    case "init": {
      const state = validState(data.state);
      const backend = WORKER_BACKENDS.find((b) => b === data.backend);
      if (!state || !backend || !isSide(data.gridSize) || !isSide(data.thumbSize)) return undefined;
      const from = data.from === undefined ? undefined : validCheckpoint(data.from);
      if (data.from !== undefined && !from) return undefined;
      return {
        type: "init",
        state,
        gridSize: data.gridSize,
        thumbSize: data.thumbSize,
        backend,
        ...(from && { from }),
      };
    }
    case "state": {
      const state = validState(data.state);
      return state ? { type: "state", state } : undefined;
    }
    case "play":
    case "pause":
    case "step":
    case "reset":
    case "pull":
    case "checkpoint":
      return { type: data.type };
    default:
      return undefined;
  }
}
