/**
 * `npm run scale:chart`: the full run of the scale chart (src/ml/breakthroughs/scale.ts) in Node,
 * written to public/data/scale/results.json with the command, backend and date, so the slide
 * shows measured numbers at once.
 *
 *   npm run scale:chart                                  # wasm backend, every size and model
 *   npm run scale:chart -- --sizes 100,500 --out /tmp/scale.json   # a quick look
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  SCALE_DEFAULTS,
  SCALE_SIZES,
  scaleRuns,
  type ScalePoint,
  type ScaleResults,
} from "../src/ml/breakthroughs/scale.ts";
import { decodeMnist, gunzip } from "../src/ml/mnist/idx.ts";
import { splitHeldOut } from "../src/ml/mnist/split.ts";
import { ensureWasmConvGradient } from "../src/ml/mnist/wasm-kernels.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let sizes: number[] = [...SCALE_SIZES];
  let out = path.join(root, "public", "data", "scale", "results.json");
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--sizes") sizes = value.split(",").map(Number);
    else if (flag === "--out") out = path.resolve(value);
    else throw new Error(`unknown option ${flag} ${value}`);
  }
  const require = createRequire(import.meta.url);
  const dist = path.dirname(
    require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"),
  );
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  setWasmPaths(dist + path.sep);
  if (!(await tf.setBackend("wasm"))) throw new Error("wasm did not start");
  await tf.ready();
  ensureWasmConvGradient(tf);
  const data = path.join(root, "public", "data", "mnist");
  const set = decodeMnist(
    await gunzip(await readFile(path.join(data, "t10k-images-idx3-ubyte.gz"))),
    await gunzip(await readFile(path.join(data, "t10k-labels-idx1-ubyte.gz"))),
  );
  const { train, heldOut } = splitHeldOut(set);
  const points: ScalePoint[] = [];
  const started = performance.now();
  for await (const progress of scaleRuns(tf, train, heldOut, { sizes })) {
    if (!progress.point) continue;
    const p = progress.point;
    points.push(p);
    console.log(
      `${progress.done}/${progress.runs} ${p.name}, ${p.n} examples: ${(p.accuracy * 100).toFixed(2)} % ` +
        `(${p.steps} steps, ${(p.ms / 1000).toFixed(1)} s)`,
    );
  }
  const results: ScaleResults = {
    command: `npm run scale:chart${argv.length ? " -- " + argv.join(" ") : ""}`,
    backend: `${tf.getBackend()} (Node ${process.version}, one thread)`,
    date: new Date().toISOString(),
    tfjs: tf.version.tfjs,
    options: { ...SCALE_DEFAULTS, sizes },
    points,
  };
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(results, null, 1) + "\n");
  console.log(
    `${points.length} runs in ${((performance.now() - started) / 1000).toFixed(0)} s; wrote ${path.relative(root, out)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
