/** Messages between the page and a stage worker, and between two stages of a pipeline. */
import type { StageEvent } from "./pipeline.ts";

export type StageBackend = "wasm" | "cpu";

export type ToStage =
  | {
      type: "init";
      stage: number;
      /** layer sizes of this stage, input first */
      sizes: number[];
      params: Float32Array;
      first: boolean;
      last: boolean;
      lr: number;
      backend: StageBackend;
      images: Uint8Array;
      labels: Uint8Array;
    }
  /** the port to the neighbouring stage of a pipeline */
  | { type: "peer"; port: MessagePort }
  /** one pipelined step of `size` examples from `start`, in `micro` micro-batches */
  | { type: "pipe"; step: number; start: number; size: number; micro: number }
  /** data parallelism: the gradient of examples start…start+size, weighted size/total */
  | { type: "grad"; step: number; start: number; size: number; total: number }
  | { type: "apply"; grads: Float32Array }
  | { type: "params" }
  | { type: "echo"; payload: ArrayBuffer };

export type FromStage =
  | { type: "ready"; backend: string }
  | { type: "done"; step: number; loss: number; events: StageEvent[] }
  | { type: "grads"; step: number; grads: Float32Array; loss: number; events: StageEvent[] }
  | { type: "params"; params: Float32Array }
  | { type: "echo"; payload: ArrayBuffer }
  | { type: "error"; message: string };

export type PeerMessage =
  | { type: "act"; step: number; micro: number; n: number; data: Float32Array }
  | { type: "dy"; step: number; micro: number; n: number; data: Float32Array };

/** Milliseconds since the epoch, comparable between a page and its workers. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}
