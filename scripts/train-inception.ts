/**
 * `npm run train:inception`: trains the small Inception network (src/ml/breakthroughs/
 * inception-net.ts) in Node on the project's MNIST copy, with the digit network's split
 * (8,000 / 2,000) and training loop, and writes public/data/inception-model/.
 *
 *   npm run train:inception                        # wasm backend, 4 epochs
 *   npm run train:inception -- --epochs 1 --out /tmp/inception   # try something, demo untouched
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createInceptionNet } from "../src/ml/breakthroughs/inception-net.ts";
import { costOf } from "../src/ml/breakthroughs/inception.ts";
import { decodeMnist, gunzip } from "../src/ml/mnist/idx.ts";
import { disposeDigitModel } from "../src/ml/mnist/model.ts";
import { splitHeldOut } from "../src/ml/mnist/split.ts";
import { accuracy, trainDigits } from "../src/ml/mnist/train.ts";
import { ensureWasmConvGradient } from "../src/ml/mnist/wasm-kernels.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv: readonly string[]) {
  const options = {
    backend: "wasm" as "wasm" | "cpu",
    epochs: 4,
    batchSize: 32,
    out: path.join(root, "public", "data", "inception-model"),
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--backend" && (value === "wasm" || value === "cpu")) options.backend = value;
    else if (flag === "--epochs") options.epochs = Number(value);
    else if (flag === "--batch") options.batchSize = Number(value);
    else if (flag === "--out") options.out = path.resolve(value);
    else throw new Error(`unknown option ${flag} ${value}`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.backend === "wasm") {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(
      require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"),
    );
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false); // reproducible, and no isolation in Node
    setWasmPaths(dist + path.sep);
  }
  if (!(await tf.setBackend(options.backend))) throw new Error(`${options.backend} did not start`);
  await tf.ready();
  ensureWasmConvGradient(tf);
  const data = path.join(root, "public", "data", "mnist");
  const set = decodeMnist(
    await gunzip(await readFile(path.join(data, "t10k-images-idx3-ubyte.gz"))),
    await gunzip(await readFile(path.join(data, "t10k-labels-idx1-ubyte.gz"))),
  );
  const { train, heldOut } = splitHeldOut(set);
  const model = createInceptionNet(tf);
  const cost = costOf(model);
  console.log(
    `Inception net: ${cost.params} weights, ${(cost.macs / 1e6).toFixed(2)} M multiply-adds per digit; ` +
      `${train.count} training / ${heldOut.count} held-out images on ${tf.getBackend()}`,
  );
  const started = performance.now();
  const run = trainDigits(tf, model, train, heldOut, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: 1,
    evaluateEvery: Math.ceil(train.count / options.batchSize),
  });
  let shown = 0;
  for (;;) {
    const { value, done } = await run.next();
    if (value.history.length > shown) {
      const point = value.history[shown++]!;
      console.log(
        `step ${point.step}: loss ${value.loss.toFixed(4)}, held-out ${(point.accuracy * 100).toFixed(2)} % ` +
          `after ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    if (done) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const final = await accuracy(tf, model, heldOut);
  await mkdir(options.out, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js ${tf.version.tfjs}, scripts/train-inception.ts`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
        userDefinedMetadata: {
          heldOutAccuracy: Number(final.toFixed(4)),
          training: `${options.epochs} epochs × ${train.count} images, batch ${options.batchSize}, Adam; ${seconds.toFixed(0)} s on ${tf.getBackend()}`,
          command: "npm run train:inception",
          data: "MNIST test set (Y. LeCun, C. Cortes, C. J. C. Burges), CC BY-SA 3.0; see ../mnist/README.md",
        },
      };
      await writeFile(path.join(options.out, "model.json"), JSON.stringify(json) + "\n");
      await writeFile(
        path.join(options.out, "weights.bin"),
        new Uint8Array(artifacts.weightData as ArrayBuffer),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
    { includeOptimizer: false },
  );
  disposeDigitModel(model);
  console.log(
    `held-out accuracy ${(final * 100).toFixed(2)} % after ${seconds.toFixed(1)} s; wrote ${path.relative(root, options.out)}/`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
