/**
 * A worker for one long job of the breakthroughs slides, so the slide stays smooth: the scale
 * chart's training runs (wasm backend), or the hardware benchmark on one backend. Each worker
 * has its own TensorFlow.js and its own backend, so measuring webgl, wasm, cpu and webgpu never
 * touches the page's `tf`. Stopping is `worker.terminate()`.
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { WASM_FILES } from "../wasm-files.ts";
import { isSoftwareRenderer } from "../backend.ts";
import { loadMnist } from "../mnist/load.ts";
import { splitHeldOut } from "../mnist/split.ts";
import { ensureWasmConvGradient } from "../mnist/wasm-kernels.ts";
import { timeMatmul, timeTrainingStep } from "./matmul.ts";
import type { BenchBackend, FromWorker, ToWorker } from "./protocol.ts";
import { scaleRuns } from "./scale.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}
const scope = self as unknown as WorkerScope;
const post = (message: FromWorker) => scope.postMessage(message);

interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

async function start(backend: BenchBackend): Promise<{ renderer: string; software: boolean }> {
  setWasmPaths(WASM_FILES);
  tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
  let renderer = "";
  let software = false;
  if (backend === "webgpu") {
    const gpu = (
      navigator as { gpu?: { requestAdapter(): Promise<{ info?: GpuAdapterInfo } | null> } }
    ).gpu;
    if (!gpu) throw new Error("this browser offers no WebGPU");
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error("WebGPU gave no adapter");
    const info = adapter.info ?? {};
    renderer = [info.vendor, info.architecture, info.description].filter(Boolean).join(" ");
    software = !!info.isFallbackAdapter || isSoftwareRenderer(renderer);
    await import("@tensorflow/tfjs-backend-webgpu");
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);
  await tf.ready();
  ensureWasmConvGradient(tf);
  if (backend === "webgl") {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    if (gl) {
      const debug = gl.getExtension("WEBGL_debug_renderer_info");
      renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      software = isSoftwareRenderer(renderer);
    }
  }
  return { renderer, software };
}

async function bench(job: Extract<ToWorker, { type: "bench" }>): Promise<void> {
  const { renderer, software } = await start(job.backend);
  post({ type: "ready", backend: tf.getBackend(), renderer, software });
  // The training step first: it is quick, and the ImageNet table on the slide before waits for
  // it, while the sweep up to 2048 × 2048 can take many seconds on an emulated GPU.
  const reps = 5;
  const timing = await timeTrainingStep(tf, 64, reps, (done) =>
    post({ type: "tick", what: `training step ${done} of ${reps + 2}` }),
  );
  post({ type: "step", timing });
  let last: number | undefined;
  for (const n of job.sizes) {
    if (last !== undefined && last * 8 > job.maxMs) {
      post({
        type: "skipped",
        n,
        reason: `would take about ${((last * 8) / 1000).toFixed(0)} s per product`,
      });
      continue;
    }
    post({ type: "tick", what: `${n} × ${n}` });
    const point = await timeMatmul(tf, n);
    last = point.ms;
    post({ type: "matmul", point });
  }
}

async function scale(job: Extract<ToWorker, { type: "scale" }>): Promise<void> {
  await start("wasm");
  post({ type: "ready", backend: tf.getBackend(), renderer: "", software: false });
  const { train, heldOut } = splitHeldOut(await loadMnist(job.base));
  for await (const progress of scaleRuns(tf, train, heldOut, job.options)) {
    post({ type: "progress", progress });
  }
}

scope.onmessage = (event) => {
  const job = event.data;
  scope.onmessage = null; // one job per worker
  (job.type === "bench" ? bench(job) : scale(job))
    .then(() => post({ type: "done" }))
    .catch((error: unknown) =>
      post({ type: "error", message: error instanceof Error ? error.message : String(error) }),
    );
};
