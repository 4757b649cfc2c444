/**
 * The text a printed deck puts on paper (poppler's pdftotext), and the words of an output that
 * was printed before it had a result: "starting two workers", "measuring 1 worker…".
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The text of each page of `pdf`, in order. */
export async function pdfPageTexts(pdf: Buffer): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "flowdeck-pdf-text-"));
  try {
    const file = path.join(dir, "deck.pdf");
    await writeFile(file, pdf);
    const { stdout } = await run("pdftotext", ["-layout", file, "-"], { maxBuffer: 1 << 26 });
    // pdftotext ends every page with a form feed
    return stdout.split("\f").slice(0, -1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What a live output says while it has no result yet. A word directly followed by an ellipsis
 * ("testing…", "512 × 512…") is work in progress; an ellipsis on its own ("tf.tensor(…)",
 * "1, 2, … workers") is not.
 */
const PLACEHOLDERS = [
  /\b(starting|measuring|loading|quantizing|multiplying)\b[^.\n]*/i,
  /\bwaiting for\b[^.\n]*/i,
  /\brunning: [^\n]*/i,
  /[\p{L}\p{N}]…/u,
];

/** The placeholder phrases found in one page's text. */
export function placeholdersIn(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    for (const pattern of PLACEHOLDERS) {
      const match = pattern.exec(line);
      if (match) found.push(match[0].trim().slice(0, 80));
    }
  }
  return found;
}
