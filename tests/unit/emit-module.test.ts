import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { emitDeckModule, emitNotebookModule } from "../../src/build/emit-module.ts";
import { compileDeck } from "../../src/build/parse-deck.ts";
import { compileNotebook } from "../../src/build/parse-notebook.ts";
import type { CellSpec } from "../../src/compiler/types.ts";

type Body = (...inputs: unknown[]) => unknown;

interface NotebookModule {
  default: { name: string; title: string; html: string; cells: CellSpec<Body>[] };
}

interface DeckModule {
  default: { notebooks: string[]; own: NotebookModule["default"] };
  loaders: Record<string, () => Promise<unknown>>;
}

const dir = mkdtempSync(join(tmpdir(), "flowdeck-emit-"));
let count = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Imports emitted source as a real ES module, which also proves that it parses. */
async function load<T>(source: string): Promise<T> {
  const file = join(dir, `module-${count++}.mjs`);
  writeFileSync(file, source);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}

const notebookSource = [
  '# Title with "quotes" and </script>',
  "",
  "```js id=sum",
  "const sum = a + b; // a comment at the end",
  "```",
  "",
  "```js id=later",
  "const later = await Promise.resolve(sum * 2);",
  "```",
  "",
  "```js",
  "`template ${sum}`",
  "```",
  "",
  "```js id=broken",
  "const = 1",
  "```",
  "",
  "Inline ${sum}.",
].join("\n");

describe("emitNotebookModule", () => {
  it("emits a module whose bodies are real functions", async () => {
    const { notebook } = compileNotebook("calc", notebookSource);
    const module = await load<NotebookModule>(emitNotebookModule(notebook));
    const { cells } = module.default;
    expect(module.default.name).toBe("calc");
    expect(module.default.title).toBe(notebook.title);
    expect(module.default.html).toBe(notebook.html);
    expect(cells.map((c) => c.id)).toEqual(["sum", "later", "cell-1", "broken", "cell-2"]);

    const [sum, later, template, broken, inline] = cells as [
      CellSpec<Body>,
      CellSpec<Body>,
      CellSpec<Body>,
      CellSpec<Body>,
      CellSpec<Body>,
    ];
    expect(sum.inputs).toEqual(["a", "b"]);
    expect(sum.body?.(1, 2)).toEqual({ sum: 3 });
    await expect(later.body?.(3)).resolves.toEqual({ later: 6 });
    expect(template.body?.(3)).toBe("template 3");
    expect(inline.body?.(4)).toBe(4);
    expect(broken.body).toBeUndefined();
    expect(broken.error?.line).toBe(1);
  });

  it("keeps every field but body as data", async () => {
    const { notebook } = compileNotebook("calc", notebookSource);
    const module = await load<NotebookModule>(emitNotebookModule(notebook));
    const withoutBodies = module.default.cells.map(({ body: _body, ...rest }) => rest);
    expect(withoutBodies).toEqual(notebook.cells.map(({ body: _body, ...rest }) => rest));
  });
});

describe("emitDeckModule", () => {
  it("inlines the deck's own notebook and lazily loads the others", async () => {
    const md = "{{ tensors/rank }}\n---\n```js id=two\n1 + 1\n```\n\n{{ training/loss code }}";
    const { deck } = compileDeck("talk", md);
    const source = emitDeckModule(deck, (name) => `/virtual/${name}.js`);
    expect(source).toContain('"tensors": () => import("/virtual/tensors.js")');
    expect(source).not.toContain('import("/virtual/deck-talk.js")');

    const module = await load<DeckModule>(source);
    expect(module.default.notebooks).toEqual(["tensors", "deck-talk", "training"]);
    expect(Object.keys(module.loaders)).toEqual(["tensors", "training"]);
    expect(module.default.own.name).toBe("deck-talk");
    expect(module.default.own.cells[0]!.body?.()).toBe(2);
  });

  it("emits an empty loaders object for a deck without embeds", async () => {
    const module = await load<DeckModule>(emitDeckModule(compileDeck("d", "# A").deck, String));
    expect(module.loaders).toEqual({});
    expect(module.default.own.cells).toEqual([]);
  });
});
