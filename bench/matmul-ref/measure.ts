/**
 * One backend's matMul series, as the slide's worker measures it (src/ml/breakthroughs/worker.ts):
 * the same wasm files and WebGL flag, the same sizes, the same rule for skipping the sizes a
 * slow backend would take too long for. Runs wherever it is imported: the reference's worker,
 * or the page's main thread.
 */
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type * as TF from "@tensorflow/tfjs";
import { MATMUL_SIZES, timeMatmul, type MatmulPoint } from "../../src/ml/breakthroughs/matmul.ts";
import { WASM_FILES } from "../../src/ml/wasm-files.ts";

/** the slide's `maxMs`: a size is skipped when 8 × the last product would pass it */
const MAX_MS = 4000;

export async function measureBackend(
  tf: typeof TF,
  backend: string,
  onPoint: (point: MatmulPoint) => void,
): Promise<void> {
  setWasmPaths(WASM_FILES);
  tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
  if (!(await tf.setBackend(backend))) throw new Error("did not start");
  await tf.ready();
  let last: number | undefined;
  for (const n of MATMUL_SIZES) {
    if (last !== undefined && last * 8 > MAX_MS) break;
    const point = await timeMatmul(tf, n);
    last = point.ms;
    onPoint(point);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
