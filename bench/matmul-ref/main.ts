/**
 * The benchmark's reference for the breakthroughs slide: the same `timeMatmul` the slide's
 * workers run (src/ml/breakthroughs/matmul.ts), in a plain page with plain TensorFlow.js on the
 * main thread, one backend after another with `tf.setBackend`. No notebook, no runtime, no
 * worker. `window.__matmul` holds the results; `done` turns true at the end.
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreaded from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import { MATMUL_SIZES, timeMatmul, type MatmulPoint } from "../../src/ml/breakthroughs/matmul.ts";

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

async function main(): Promise<void> {
  setWasmPaths({
    "tfjs-backend-wasm.wasm": wasmPlain,
    "tfjs-backend-wasm-simd.wasm": wasmSimd,
    "tfjs-backend-wasm-threaded-simd.wasm": wasmThreaded,
  });
  tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
  const wanted = new URLSearchParams(location.search).get("backends")?.split(",") ?? [
    "webgl",
    "wasm",
    "cpu",
  ];
  for (const backend of wanted) {
    try {
      if (!(await tf.setBackend(backend))) throw new Error("did not start");
      await tf.ready();
    } catch (error) {
      results.errors.push(`${backend}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    let last: number | undefined;
    for (const n of MATMUL_SIZES) {
      if (last !== undefined && last * 8 > 4000) break; // the slide's rule for slow backends
      const point = await timeMatmul(tf, n);
      last = point.ms;
      results.points.push({ backend, ...point });
      out.textContent = results.points
        .map((p) => `${p.backend} ${p.n}: ${p.gflops.toFixed(2)} GFLOP/s`)
        .join("\n");
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  results.done = true;
}

main().catch((error: unknown) => {
  results.errors.push(error instanceof Error ? error.message : String(error));
  results.done = true;
});
