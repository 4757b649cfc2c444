/** The reference's loop, shared by its main-thread and worker variants: `timeMatmul` per size. */
import type * as TF from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreaded from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import { MATMUL_SIZES, timeMatmul, type MatmulPoint } from "../../src/ml/breakthroughs/matmul.ts";

export async function measureBackend(
  tf: typeof TF,
  backend: string,
  onPoint: (point: MatmulPoint) => void,
): Promise<void> {
  setWasmPaths({
    "tfjs-backend-wasm.wasm": wasmPlain,
    "tfjs-backend-wasm-simd.wasm": wasmSimd,
    "tfjs-backend-wasm-threaded-simd.wasm": wasmThreaded,
  });
  tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} did not start`);
  await tf.ready();
  let last: number | undefined;
  for (const n of MATMUL_SIZES) {
    if (last !== undefined && last * 8 > 4000) break; // the slide's rule for slow backends
    const point = await timeMatmul(tf, n);
    last = point.ms;
    onPoint(point);
  }
}
