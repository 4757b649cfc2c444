/** Serves the built site (dist/) once for the whole browser suite; tests `inject("baseUrl")`. */
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { chromiumPath } from "../../tools/chromium.ts";
import { serveStatic } from "../../tools/static-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  chromiumPath(); // no browser: one sentence saying how to install one, before any test starts
  const dist = path.resolve(project.config.root, "dist");
  if (!existsSync(path.join(dist, "index.html"))) {
    throw new Error(`No built site at ${dist}: run \`npx vite build\` first`);
  }
  const server = await serveStatic(dist);
  // Tests join paths that start with "/".
  const url = server.url.replace(/\/$/, "");
  project.provide("baseUrl", url);
  process.env.FLOWDECK_BASE_URL = url;
  return () => server.close();
}
