/** Builds a reference page (a folder with its index.html) into bench/.<name>-dist, with its own Vite config. */
import path from "node:path";
import { build } from "vite";

export async function buildReferencePage(
  root: string,
  pageDir: string,
  name: string,
): Promise<string> {
  const outDir = path.join(root, "bench", `.${name}-dist`);
  await build({
    configFile: false,
    root: pageDir,
    base: "./",
    logLevel: "warn",
    build: { target: "es2022", outDir, emptyOutDir: true },
    // a page's workers (matmul-ref's per-backend worker) as modules, as the deck builds its own
    worker: { format: "es" },
  });
  return outDir;
}
