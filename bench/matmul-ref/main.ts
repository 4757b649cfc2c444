/**
 * The benchmark's reference for the breakthroughs slide: the same `timeMatmul` the slide's
 * workers run (src/ml/breakthroughs/matmul.ts), in a plain page with plain TensorFlow.js, one
 * backend after another. No notebook, no runtime. Like the slide, each backend runs in a worker
 * of its own (`?thread=worker`, the default), so that both sides run on the same kind of thread;
 * `?thread=main` runs them on this page's main thread instead, with `tf.setBackend`, for
 * comparison. `window.__matmul` holds the results; `done` turns true at the end.
 */
import type { MatmulPoint } from "../../src/ml/breakthroughs/matmul.ts";
import type { FromReferenceWorker } from "./worker.ts";

interface Results {
  thread: "worker" | "main";
  points: Array<MatmulPoint & { backend: string }>;
  errors: string[];
  done: boolean;
}

declare global {
  interface Window {
    __matmul: Results;
  }
}

const params = new URLSearchParams(location.search);
const thread = params.get("thread") === "main" ? "main" : "worker";
const results: Results = { thread, points: [], errors: [], done: false };
window.__matmul = results;
const out = document.getElementById("out")!;

function record(backend: string, point: MatmulPoint): void {
  results.points.push({ backend, ...point });
  out.textContent = `${thread} thread\n${results.points
    .map((p) => `${p.backend} ${p.n}: ${p.gflops.toFixed(2)} GFLOP/s`)
    .join("\n")}`;
}

function inWorker(backend: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    const end = (error?: Error) => {
      worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    worker.onmessage = (event: MessageEvent<FromReferenceWorker>) => {
      const m = event.data;
      if (m.type === "point") record(backend, m.point);
      else if (m.type === "done") end();
      else end(new Error(m.message));
    };
    worker.onerror = (event) => end(new Error(event.message || "the worker failed"));
    worker.postMessage({ backend });
  });
}

async function onMain(backend: string): Promise<void> {
  const [tf, { measureBackend }] = await Promise.all([
    import("@tensorflow/tfjs"),
    import("./measure.ts"),
  ]);
  await measureBackend(tf, backend, (point) => record(backend, point));
}

async function main(): Promise<void> {
  const wanted = params.get("backends")?.split(",") ?? ["webgl", "wasm", "cpu"];
  for (const backend of wanted) {
    try {
      await (thread === "worker" ? inWorker(backend) : onMain(backend));
    } catch (error) {
      results.errors.push(`${backend}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  results.done = true;
}

main().catch((error: unknown) => {
  results.errors.push(error instanceof Error ? error.message : String(error));
  results.done = true;
});
