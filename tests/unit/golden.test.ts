import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitDeckModule, emitNotebookModule } from "../../src/notebook/emit-module.ts";
import { compileDeck } from "../../src/notebook/parse-deck.ts";
import { compileNotebook } from "../../src/notebook/parse-notebook.ts";

/**
 * Golden files: `golden/notebook-<name>.md` and `golden/deck-<name>.md` are compiled and compared
 * with the `.json` (spec and warnings) and `.js` (emitted module) beside them.
 * `UPDATE_GOLDEN=1 npx vitest run` rewrites the expectations instead of comparing.
 */
const dir = join(import.meta.dirname, "golden");
const update = process.env.UPDATE_GOLDEN === "1";
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".md"));

function compile(fixture: string): { json: string; js: string } {
  const markdown = readFileSync(join(dir, fixture), "utf8");
  const match = /^(notebook|deck)-(.+)\.md$/.exec(fixture);
  if (!match) throw new Error(`fixture ${fixture} must be named notebook-*.md or deck-*.md`);
  const [, kind, name] = match as unknown as [string, string, string];
  if (kind === "notebook") {
    const result = compileNotebook(name, markdown, `notebooks/${name}.md`);
    return { json: stringify(result), js: emitNotebookModule(result.notebook) };
  }
  const result = compileDeck(name, markdown, `slides/${name}.md`);
  return {
    json: stringify(result),
    js: emitDeckModule(result.deck, (notebook) => `/notebooks/${notebook}.md`),
  };
}

function stringify(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

function check(path: string, actual: string): void {
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`missing golden file ${path}; run UPDATE_GOLDEN=1 npx vitest run`);
  }
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden files", () => {
  it("has fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4);
  });

  for (const fixture of fixtures) {
    it(fixture, () => {
      const { json, js } = compile(fixture);
      const base = join(dir, fixture.replace(/\.md$/, ""));
      check(`${base}.json`, json);
      check(`${base}.js`, js);
    });
  }
});
