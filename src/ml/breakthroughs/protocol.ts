/** Messages between a page and src/ml/breakthroughs/worker.ts: one job per worker. */
import type { MatmulPoint, StepTiming } from "./matmul.ts";
import type { ScaleOptions, ScaleProgress } from "./scale.ts";

export type BenchBackend = "webgl" | "wasm" | "cpu" | "webgpu";

export type ToWorker =
  | { type: "scale"; base: string; options: ScaleOptions }
  | {
      type: "bench";
      backend: BenchBackend;
      sizes: readonly number[];
      /** skip a size whose predicted product (8 × the last one) would take longer than this */
      maxMs: number;
    };

export type FromWorker =
  | { type: "ready"; backend: string; renderer: string; software: boolean }
  | { type: "progress"; progress: ScaleProgress }
  | { type: "matmul"; point: MatmulPoint }
  | { type: "skipped"; n: number; reason: string }
  | { type: "step"; timing: StepTiming }
  /** a sign of life between long measurements (a slow backend's training step) */
  | { type: "tick"; what: string }
  | { type: "done" }
  | { type: "error"; message: string };
