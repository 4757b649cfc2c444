/**
 * Fetching what the digit demo needs from the site: the MNIST copy in `data/mnist/` and the
 * weights `npm run train:mnist` wrote to `data/mnist-model/`, both relative to `base` (the
 * page's `document.baseURI`, so the built site works from any folder).
 */
import type * as TF from "@tensorflow/tfjs";
import { decodeMnist, gunzip, type LabelledImages } from "./idx.ts";
import type { Tf } from "./model.ts";

export const MNIST_IMAGES = "data/mnist/t10k-images-idx3-ubyte.gz";
export const MNIST_LABELS = "data/mnist/t10k-labels-idx1-ubyte.gz";
export const MODEL_JSON = "data/mnist-model/model.json";

async function fetchBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, signal ? { signal } : {});
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const loaded = new Map<string, Promise<LabelledImages>>();

/**
 * The MNIST copy, fetched and decompressed once per page (or worker): five slides use it, and
 * each decompression is 8 MB of work on the thread. Read-only: callers copy what they change
 * (`splitHeldOut` does). `signal` abandons this caller's wait, not the shared load.
 */
export function loadMnist(base: string, signal?: AbortSignal): Promise<LabelledImages> {
  const key = new URL(MNIST_IMAGES, base).href;
  let load = loaded.get(key);
  if (!load) {
    load = fetchMnist(base);
    loaded.set(key, load);
    load.catch(() => loaded.delete(key)); // a failed load is tried again next time
  }
  if (!signal) return load;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    load.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

async function fetchMnist(base: string): Promise<LabelledImages> {
  const [images, labels] = await Promise.all(
    [MNIST_IMAGES, MNIST_LABELS].map((file) => fetchBytes(new URL(file, base).href)),
  );
  return decodeMnist(await gunzip(images!), await gunzip(labels!));
}

export function loadDigitModel(tf: Tf, base: string): Promise<TF.LayersModel> {
  return tf.loadLayersModel(new URL(MODEL_JSON, base).href);
}
