/** Builds the plain TensorFlow.js matmul page into bench/.matmul-ref-dist with its own Vite config. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export async function buildMatmulReference(root: string): Promise<string> {
  const outDir = path.join(root, "bench", ".matmul-ref-dist");
  await build({
    configFile: false,
    root: here,
    base: "./",
    logLevel: "warn",
    build: { target: "es2022", outDir, emptyOutDir: true },
    // the per-backend worker (worker.ts) as a module, as the deck builds the slide's
    worker: { format: "es" },
  });
  return outDir;
}
