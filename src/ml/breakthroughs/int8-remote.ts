/** `compareInt8` in a worker of its own, ended when it answers or when `signal` aborts. */
import type { Int8Comparison } from "./int8.ts";

type Reply = { ok: true; comparison: Int8Comparison } | { ok: false; message: string };

export function compareInt8InWorker(
  n: number,
  signal?: AbortSignal,
  seed?: number,
): Promise<Int8Comparison> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException("aborted", "AbortError"));
    const worker = new Worker(new URL("./int8-worker.ts", import.meta.url), {
      type: "module",
      name: "int8-matmul",
    });
    const end = () => {
      worker.terminate();
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      end();
      reject(new DOMException("aborted", "AbortError"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.onmessage = (event: MessageEvent<Reply>) => {
      end();
      const reply = event.data;
      if (reply.ok) resolve(reply.comparison);
      else reject(new Error(reply.message));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      end();
      reject(new Error(event.message || "the int8 worker failed"));
    };
    worker.postMessage({ n, seed });
  });
}
