/** Builds the plain TensorFlow.js matmul page into bench/.matmul-ref-dist. */
import { fileURLToPath } from "node:url";
import { buildReferencePage } from "../lib/reference-page.ts";

export function buildMatmulReference(root: string): Promise<string> {
  return buildReferencePage(root, fileURLToPath(new URL(".", import.meta.url)), "matmul-ref");
}
