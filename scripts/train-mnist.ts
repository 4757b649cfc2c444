/**
 * `npm run train:mnist`: trains the digit network in Node on the project's copy of the MNIST test
 * set (public/data/mnist/, split 8,000 / 2,000 by src/ml/mnist/split.ts) and writes the weights
 * the demo starts with to public/data/mnist-model/ (model.json + weights.bin).
 *
 *   npm run train:mnist                       # wasm backend (SIMD, one thread), the default
 *   npm run train:mnist -- --backend cpu      # plain JavaScript, slower, same result up to rounding
 *   npm run train:mnist -- --epochs 4 --fine-tune 0 --out /tmp/model   # try something, demo untouched
 *
 * Seeded (weights, example order, split): the same command gives the same held-out accuracy.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { decodeMnist, gunzip } from "../src/ml/mnist/idx.ts";
import { compileDigitModel, createDigitModel, disposeDigitModel } from "../src/ml/mnist/model.ts";
import { splitHeldOut } from "../src/ml/mnist/split.ts";
import { ensureWasmConvGradient } from "../src/ml/mnist/wasm-kernels.ts";
import { accuracy, trainDigits, type TrainOptions } from "../src/ml/mnist/train.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  backend: "wasm" | "cpu";
  epochs: number;
  /** epochs at a sixth of the learning rate after the first `epochs` */
  fineTune: number;
  batchSize: number;
  learningRate: number;
  evaluateEvery?: number;
  out: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    backend: "wasm",
    epochs: 6,
    fineTune: 3,
    batchSize: 32,
    learningRate: 0.003,
    out: path.join(root, "public", "data", "mnist-model"),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--backend" && (value === "wasm" || value === "cpu")) options.backend = value;
    else if (flag === "--epochs") options.epochs = Number(value);
    else if (flag === "--fine-tune") options.fineTune = Number(value);
    else if (flag === "--batch") options.batchSize = Number(value);
    else if (flag === "--lr") options.learningRate = Number(value);
    else if (flag === "--evaluate-every") options.evaluateEvery = Number(value);
    else if (flag === "--out") options.out = path.resolve(value);
    else throw new Error(`unknown option ${flag} ${value}`);
  }
  return options;
}

async function useBackend(name: Options["backend"]): Promise<void> {
  if (name === "wasm") {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(
      require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"),
    );
    // One thread: Node has no cross-origin isolation, and the result stays reproducible.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    setWasmPaths(dist + path.sep);
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`);
  await tf.ready();
  ensureWasmConvGradient(tf);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  await useBackend(options.backend);
  const data = path.join(root, "public", "data", "mnist");
  const set = decodeMnist(
    await gunzip(await readFile(path.join(data, "t10k-images-idx3-ubyte.gz"))),
    await gunzip(await readFile(path.join(data, "t10k-labels-idx1-ubyte.gz"))),
  );
  const { train, heldOut } = splitHeldOut(set);
  console.log(
    `MNIST: ${train.count} training / ${heldOut.count} held-out images; backend ${tf.getBackend()}; ` +
      `${os.cpus().length} CPUs`,
  );

  const model = createDigitModel(tf, { learningRate: options.learningRate });
  console.log(`model: ${model.countParams()} weights`);
  const trainOptions: TrainOptions = {
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: 1,
    evaluateEvery: options.evaluateEvery ?? Math.ceil(train.count / options.batchSize),
  };
  const started = performance.now();
  // Then a few epochs at a sixth of the rate (a fresh Adam), which settles the weights.
  const phases = [
    { epochs: options.epochs, learningRate: options.learningRate, seed: 1 },
    { epochs: options.fineTune, learningRate: options.learningRate / 6, seed: 2 },
  ];
  for (const [i, phase] of phases.entries()) {
    if (phase.epochs < 1) continue;
    if (i > 0) compileDigitModel(tf, model, phase.learningRate);
    const run = trainDigits(tf, model, train, heldOut, { ...trainOptions, ...phase });
    let shown = 0;
    for (;;) {
      const { value, done } = await run.next();
      if (value.history.length > shown) {
        const point = value.history[shown++]!;
        console.log(
          `phase ${i + 1} (Adam ${phase.learningRate.toPrecision(2)}), step ${point.step}: loss ${value.loss.toFixed(4)}, ` +
            `held-out accuracy ${(point.accuracy * 100).toFixed(2)} % after ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      }
      if (done) break;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const final = await accuracy(tf, model, heldOut);

  await mkdir(options.out, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js ${tf.version.tfjs}, scripts/train-mnist.ts`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
        userDefinedMetadata: {
          heldOutAccuracy: Number(final.toFixed(4)),
          training: `${options.epochs} epochs × ${train.count} images, batch ${options.batchSize}, Adam ${options.learningRate}; then ${options.fineTune} at a sixth of that`,
          data: "MNIST test set (Y. LeCun, C. Cortes, C. J. C. Burges), CC BY-SA 3.0; see ../mnist/README.md",
        },
      };
      await writeFile(path.join(options.out, "model.json"), JSON.stringify(json) + "\n");
      await writeFile(path.join(options.out, "weights.bin"), weights);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
    { includeOptimizer: false },
  );
  disposeDigitModel(model);
  console.log(
    `held-out accuracy ${(final * 100).toFixed(2)} % (${heldOut.count} images) after ` +
      `${seconds.toFixed(1)} s of training on ${tf.getBackend()}; wrote ${path.relative(root, options.out)}/`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
