/** What the test suite knows about the project's sources: the notebooks and their titles. */
import { readFile, readdir } from "node:fs/promises";

const NOTEBOOKS = new URL("../../notebooks/", import.meta.url);

export interface NotebookFile {
  name: string;
  title: string;
}

/** The title a notebook page must show: front matter `title`, else the first `# heading`. */
export function notebookTitle(markdown: string, fallback: string): string {
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(markdown);
  const line = front?.[1]?.split(/\r?\n/).find((l) => /^title\s*:/.test(l));
  if (line) {
    const value = line.replace(/^title\s*:\s*/, "").trim();
    return value.replace(/^"(.*)"$|^'(.*)'$/, (_, a?: string, b?: string) => a ?? b ?? "");
  }
  const heading = /^#\s+(.+?)\s*$/m.exec(front ? markdown.slice(front[0].length) : markdown);
  return heading?.[1] ?? fallback;
}

export async function notebookFiles(): Promise<NotebookFile[]> {
  const files = (await readdir(NOTEBOOKS)).filter((f) => f.endsWith(".md")).sort();
  return Promise.all(
    files.map(async (file) => {
      const name = file.slice(0, -".md".length);
      return { name, title: notebookTitle(await readFile(new URL(file, NOTEBOOKS), "utf8"), name) };
    }),
  );
}

/** The cells of notebooks/selftest.md that fail on purpose. */
export const SELFTEST_FAILING = [
  "selftest/syntax",
  "selftest/throws",
  "selftest/rejects",
  "selftest/dependent",
  "selftest/runaway",
  "selftest/huge",
];

const SLIDES = new URL("../../slides/", import.meta.url);

/** Every deck in slides/, the talk first. */
export async function deckNames(): Promise<string[]> {
  const names = (await readdir(SLIDES)).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3));
  return names.sort((a, b) => (a === "talk" ? -1 : b === "talk" ? 1 : a.localeCompare(b)));
}

/** Decks known when the test files are collected (vitest needs them synchronously). */
export const DECKS: readonly string[] = await deckNames();

/** The path of a deck's page, with more query parameters: `deckPath("authoring", "view=scroll")`. */
export function deckPath(deck: string, query = ""): string {
  const params = [deck === "talk" ? "" : `deck=${encodeURIComponent(deck)}`, query].filter(Boolean);
  return params.length ? `/?${params.join("&")}` : "/";
}
