/**
 * Compiles notebooks (`notebooks/*.md`) and decks (`slides/*.md`) into JavaScript modules at
 * build time, so the browser never parses Markdown. A syntax error in a cell is a warning and an
 * error cell, never a failed build. In dev, saving a notebook hot-swaps only its changed cells.
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import {
  CATALOG_MODULE,
  type Catalog,
  type CatalogDeck,
  type CatalogNotebook,
  mainDeckFirst,
} from "../compiler/catalog.ts";
import { cellKey, type CellKey } from "../compiler/cell-key.ts";
import { compileDeck } from "./parse-deck.ts";
import { compileNotebook } from "./parse-notebook.ts";
import { emitDeckModule, emitNotebookModule } from "./emit-module.ts";
import { NOTEBOOK_UPDATE_EVENT } from "../compiler/events.ts";
import type { CompileWarning } from "../compiler/types.ts";

export const CATALOG_ID = CATALOG_MODULE;
const NOTEBOOK_KIT_JAVASCRIPT = path.join(
  "@observablehq",
  "notebook-kit",
  "dist",
  "src",
  "javascript",
);
const TYPESCRIPT_STUB = fileURLToPath(new URL("../compiler/typescript-stub.ts", import.meta.url));
const RESOLVED_CATALOG_ID = "\0" + CATALOG_ID;

const HOT_NOTEBOOK = `
if (import.meta.hot) {
  import.meta.hot.accept((next) => {
    if (next) window.dispatchEvent(new CustomEvent(${JSON.stringify(NOTEBOOK_UPDATE_EVENT)}, { detail: next.default }));
  });
}
`;

export interface FlowdeckPluginOptions {
  /** project root; defaults to Vite's */
  root?: string;
}

export function flowdeck(options: FlowdeckPluginOptions = {}): Plugin {
  let root = options.root ?? process.cwd();
  const kindOf = (id: string): "notebook" | "deck" | undefined => {
    if (!id.endsWith(".md")) return undefined;
    const relative = path.relative(root, id).split(path.sep);
    if (relative.length !== 2) return undefined;
    if (relative[0] === "notebooks") return "notebook";
    if (relative[0] === "slides") return "deck";
    return undefined;
  };

  return {
    name: "flowdeck",
    enforce: "pre",
    configResolved(config) {
      root = options.root ?? config.root;
    },
    resolveId(id, importer) {
      if (id === CATALOG_ID) return RESOLVED_CATALOG_ID;
      // Notebook Kit's transpiler, bundled for the browser, without its TypeScript support.
      if (id === "./typescript.js" && importer?.includes(NOTEBOOK_KIT_JAVASCRIPT)) {
        return TYPESCRIPT_STUB;
      }
      return undefined;
    },
    async load(id) {
      if (id === RESOLVED_CATALOG_ID) return catalogModule(root);
      const file = id.split("?")[0] ?? id;
      const kind = kindOf(file);
      if (!kind) return undefined;
      this.addWatchFile(file);
      const markdown = await readFile(file, "utf8");
      const name = path.basename(file, ".md");
      const report = (warnings: CompileWarning[]) => {
        for (const w of warnings)
          this.warn(`${path.relative(root, w.file)}:${w.line}:${w.column}: ${w.message}`);
      };
      if (kind === "notebook") {
        const { notebook, warnings } = compileNotebook(name, markdown, file);
        report(warnings);
        return emitNotebookModule(notebook) + HOT_NOTEBOOK;
      }
      const { deck, warnings } = compileDeck(name, markdown, file);
      report(warnings);
      return emitDeckModule(deck, (notebook) => `/notebooks/${notebook}.md`);
    },
  };
}

/** The notebooks and decks that exist, with their titles, exercises and embeds, for navigation. */
async function catalogModule(root: string): Promise<string> {
  const markdownIn = async (folder: string) => {
    const dir = path.join(root, folder);
    const files = (await readdir(dir)).filter((f) => f.endsWith(".md")).sort();
    return Promise.all(
      files.map(async (f) => ({
        name: path.basename(f, ".md"),
        file: path.join(folder, f),
        text: await readFile(path.join(dir, f), "utf8"),
      })),
    );
  };
  const notebooks: CatalogNotebook[] = (await markdownIn("notebooks")).map(
    ({ name, file, text }) => {
      const { notebook } = compileNotebook(name, text, file);
      const exercises = notebook.cells
        .filter((cell) => cell.exercise)
        .map((cell) => ({
          id: cell.id,
          title: headingBefore(notebook.html, cellKey(name, cell.id)) ?? cell.id,
        }));
      return { name, title: notebook.title, exercises };
    },
  );
  const decks: CatalogDeck[] = (await markdownIn("slides")).map(({ name, file, text }) => {
    const { deck, slideOf } = compileDeck(name, text, file);
    const exercises = deck.own.cells
      .filter((cell) => cell.exercise)
      .map((cell) => {
        const key = cellKey(deck.own.name, cell.id);
        const title = headingBefore(deck.html, key) ?? cell.id;
        return { id: cell.id, title, slide: slideOf[key] ?? "" };
      });
    const notebooks = deck.notebooks.filter((n) => n !== deck.own.name);
    return { name, title: deck.title, notebooks, exercises };
  });
  const catalog: Catalog = { notebooks, decks: mainDeckFirst(decks) };
  return `export default ${JSON.stringify(catalog)};`;
}

/** The text of the last heading before a cell's slot: how an exercise is named in lists. */
export function headingBefore(html: string, key: CellKey): string | undefined {
  const at = html.indexOf(`data-slot="${key}"`);
  if (at < 0) return undefined;
  const headings = [...html.slice(0, at).matchAll(/<h[1-6][^>]*>([\s\S]*?)<\/h[1-6]>/g)];
  const last = headings.at(-1)?.[1];
  return last?.replace(/<[^>]+>/g, "").trim() || undefined;
}
