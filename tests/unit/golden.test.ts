import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitDeckModule, emitNotebookModule } from "../../src/build/emit-module.ts";
import { compileDeck } from "../../src/build/parse-deck.ts";
import { compileNotebook } from "../../src/build/parse-notebook.ts";

/**
 * Golden files: every real notebook (`notebooks/*.md`) and deck (`slides/*.md`), and the made-up
 * fixtures in `golden/` that reach the corners, are compiled and compared with the spec and
 * warnings (`.json`) and the emitted module (`.js`) kept beside them in `golden/`. After an
 * intended change, `npx vitest run tests/unit/golden.test.ts -u` rewrites them; the diff is the
 * review.
 */
const root = join(import.meta.dirname, "..", "..");
const golden = join(import.meta.dirname, "golden");

interface Source {
  kind: "notebook" | "deck";
  name: string;
  /** where the Markdown is, relative to the project */
  file: string;
}

const markdownIn = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".md"))
    .sort();

const sources: Source[] = [
  ...markdownIn("notebooks").map((f) => ({
    kind: "notebook" as const,
    name: f.slice(0, -3),
    file: `notebooks/${f}`,
  })),
  ...markdownIn("slides").map((f) => ({
    kind: "deck" as const,
    name: f.slice(0, -3),
    file: `slides/${f}`,
  })),
  ...markdownIn("tests/unit/golden").map((f) => {
    const match = /^(notebook|deck)-(.+)\.md$/.exec(f);
    if (!match) throw new Error(`fixture ${f} must be named notebook-*.md or deck-*.md`);
    return {
      kind: match[1] as Source["kind"],
      name: `fixture-${match[2]}`,
      file: `tests/unit/golden/${f}`,
    };
  }),
];

function compile({ kind, name, file }: Source): { json: string; js: string } {
  const markdown = readFileSync(join(root, file), "utf8");
  if (kind === "notebook") {
    const result = compileNotebook(name, markdown, file);
    return { json: stringify(result), js: emitNotebookModule(result.notebook) };
  }
  const result = compileDeck(name, markdown, file);
  return {
    json: stringify(result),
    js: emitDeckModule(result.deck, (notebook) => `/notebooks/${notebook}.md`),
  };
}

function stringify(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

describe("golden files", () => {
  it("cover the real notebooks and decks as well as the fixtures", () => {
    const names = sources.map((s) => `${s.kind}-${s.name}`);
    expect(names).toContain("deck-talk");
    expect(names).toContain("notebook-dl101");
    expect(names.filter((n) => n.includes("fixture-")).length).toBeGreaterThanOrEqual(4);
  });

  for (const source of sources) {
    it(`${source.kind} ${source.name} (${source.file})`, async () => {
      const { json, js } = compile(source);
      const base = join(golden, `${source.kind}-${source.name}`);
      await expect(json).toMatchFileSnapshot(`${base}.json`);
      await expect(js).toMatchFileSnapshot(`${base}.js`);
    });
  }
});
