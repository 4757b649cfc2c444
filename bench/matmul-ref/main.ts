/**
 * The benchmark's reference for the breakthroughs slide: the same `timeMatmul` the slide's
 * workers run (src/ml/breakthroughs/matmul.ts), in a plain page with plain TensorFlow.js on the
 * main thread, one backend after another with `tf.setBackend` (or, with `?mode=worker`, each
 * backend in a plain worker, as the slide does). No notebook, no runtime. `window.__matmul`
 * holds the results; `done` turns true at the end.
 */
import * as tf from "@tensorflow/tfjs";
import type { MatmulPoint } from "../../src/ml/breakthroughs/matmul.ts";
import { measureBackend } from "./measure.ts";

interface Results {
  points: Array<MatmulPoint & { backend: string }>;
  errors: string[];
  done: boolean;
}

declare global {
  interface Window {
    __matmul: Results;
  }
}

const results: Results = { points: [], errors: [], done: false };
window.__matmul = results;
const out = document.getElementById("out")!;

async function inWorker(backend: string): Promise<void> {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = (
        event: MessageEvent<{ point?: MatmulPoint; done?: boolean; error?: string }>,
      ) => {
        if (event.data.point) results.points.push({ backend, ...event.data.point });
        if (event.data.error) reject(new Error(event.data.error));
        if (event.data.done) resolve();
      };
    });
  } finally {
    worker.terminate();
  }
}

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const wanted = query.get("backends")?.split(",") ?? ["webgl", "wasm", "cpu"];
  const worker = query.get("mode") === "worker";
  for (const backend of wanted) {
    try {
      if (worker) await inWorker(backend);
      else await measureBackend(tf, backend, (point) => results.points.push({ backend, ...point }));
    } catch (error) {
      results.errors.push(`${backend}: ${error instanceof Error ? error.message : String(error)}`);
    }
    out.textContent = results.points
      .map((p) => `${p.backend} ${p.n}: ${p.gflops.toFixed(2)} GFLOP/s`)
      .join("\n");
  }
  results.done = true;
}

main().catch((error: unknown) => {
  results.errors.push(error instanceof Error ? error.message : String(error));
  results.done = true;
});
