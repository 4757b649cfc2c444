/** Builds the reference playground page into bench/.playground-ref-dist. */
import { fileURLToPath } from "node:url";
import { buildReferencePage } from "../lib/reference-page.ts";

export function buildReferencePlayground(root: string): Promise<string> {
  return buildReferencePage(root, fileURLToPath(new URL(".", import.meta.url)), "playground-ref");
}
