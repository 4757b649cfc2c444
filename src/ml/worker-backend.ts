/**
 * How every Web Worker of the project starts its own TensorFlow.js: wasm where asked and where it
 * starts, else the plain cpu backend. A worker's engine is its own, so what it measures or trains
 * never touches the page's `tf`.
 */
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { WASM_FILES } from "./wasm-files.ts";

export async function startWorkerBackend(preferred: "wasm" | "cpu"): Promise<"wasm" | "cpu"> {
  setWasmPaths(WASM_FILES);
  for (const name of preferred === "wasm" ? (["wasm", "cpu"] as const) : (["cpu"] as const)) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // the next one
    }
  }
  throw new Error("no TensorFlow.js backend could start in the worker");
}

/**
 * The backend's name with, for wasm, how many threads it computes on: one unless the page is
 * cross-origin isolated (SharedArrayBuffer, which this site's server does not enable). One
 * thread per worker is what data parallelism on N workers assumes: N workers, N cores.
 */
export function describeWorkerBackend(name: "wasm" | "cpu"): string {
  if (name !== "wasm") return name;
  const threads = getThreadsCount();
  return `wasm, ${threads} thread${threads === 1 ? "" : "s"}`;
}
