/**
 * The messages between the playground's page and its training worker. The page sends commands
 * and a "pull" once per frame when it can draw; the worker answers a pull with at most one
 * snapshot, whose arrays are transferred, not copied.
 */
import { decodeState, encodeState, type PlaygroundState } from "./config.ts";

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
    }
  | { type: "state"; state: PlaygroundState }
  | { type: "play" }
  | { type: "pause" }
  | { type: "step" }
  | { type: "reset" }
  | { type: "pull" };

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
      return { type: "init", state, gridSize: data.gridSize, thumbSize: data.thumbSize, backend };
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
      return { type: data.type };
    default:
      return undefined;
  }
}
