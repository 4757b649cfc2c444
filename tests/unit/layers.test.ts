/**
 * The shape of the code, checked: layers import one way, no page imports another page, and the
 * notebooks and decks carry no engine boilerplate (the runtime owns disposal, lifetimes and
 * sizes; shared code is imported by its `flowdeck/…` name).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

/** What each folder of src/ may import from the others (its own folder is always allowed). */
const ALLOWED: Record<string, readonly string[]> = {
  compiler: [],
  build: ["compiler"],
  runtime: ["compiler"],
  view: ["compiler", "runtime"],
  ml: [],
  ui: ["ml", "compiler"],
  lib: ["compiler", "ml", "ui", "room"],
  workshop: ["compiler", "runtime", "view", "ui"],
  deck: ["compiler", "runtime", "view", "ui"],
  room: ["compiler", "ml", "ui"],
  pages: ["compiler", "runtime", "view", "ml", "ui", "lib", "workshop", "deck", "room"],
};

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

const source = files(join(root, "src"), /\.ts$/).map((path) => ({
  path: relative(root, path),
  text: readFileSync(path, "utf8"),
}));

/** The src/ folder an import specifier from `file` lands in, if it is a relative one. */
function importedFolders(file: string, text: string): Array<{ folder: string; specifier: string }> {
  const specifiers = [
    ...text.matchAll(/\bfrom\s+"(\.[^"]+)"/g),
    ...text.matchAll(/\bimport\(\s*"(\.[^"]+)"\s*\)/g),
    ...text.matchAll(/\bnew URL\(\s*"(\.[^"]+)"/g),
  ].map((m) => m[1]!);
  return specifiers.map((specifier) => {
    const target = relative(join(root, "src"), join(root, file, "..", specifier));
    return { folder: target.split("/")[0]!, specifier };
  });
}

describe("layers", () => {
  it("know every folder of src/", () => {
    const folders = new Set(source.map((f) => f.path.split("/")[1]!));
    expect([...folders].filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it("import one way only", () => {
    const upward = source.flatMap(({ path, text }) => {
      const folder = path.split("/")[1]!;
      return importedFolders(path, text)
        .filter(({ folder: to }) => to !== folder && !ALLOWED[folder]?.includes(to))
        .map(({ specifier }) => `${path} imports ${specifier}`);
    });
    expect(upward).toEqual([]);
  });

  it("never import a page's entry module from elsewhere", () => {
    const pageImports = source.flatMap(({ path, text }) =>
      importedFolders(path, text)
        .filter(({ specifier }) => /-page\.ts$/.test(specifier))
        .map(({ specifier }) => `${path} imports ${specifier}`),
    );
    expect(pageImports).toEqual([]);
  });

  it("keep the runtime headless: no DOM globals in src/runtime", () => {
    const dom = source
      .filter(({ path }) => path.startsWith("src/runtime/"))
      .filter(({ text }) =>
        /^(?!\s*(\*|\/\/)).*(\b(document|window)\.|\bnew (ResizeObserver|IntersectionObserver)\b)/m.test(
          text,
        ),
      )
      .map(({ path }) => path);
    expect(dom).toEqual([]);
  });

  it("leave cells' DOM to their view: no cell class names queried outside src/view", () => {
    const queries = source
      .filter(({ path }) => !path.startsWith("src/view/"))
      .flatMap(({ path, text }) =>
        [
          ...text.matchAll(
            /querySelector(?:All)?(?:<[^>]+>)?\(\s*["'`]([^"'`]*\.fd-(?:cell|output|root|code|error|editor|notice|cell-bar)[^"'`]*)/g,
          ),
        ].map((m) => `${path}: ${m[1]}`),
      );
    expect(queries).toEqual([]);
  });
});

/** The Markdown that authors write: notebooks and decks. */
const content = [
  ...files(join(root, "notebooks"), /\.md$/),
  ...files(join(root, "slides"), /\.md$/),
].map((path) => ({ path: relative(root, path), text: readFileSync(path, "utf8") }));

/** Lines of the ```js cells of a Markdown file, with their line numbers. */
function cellLines(text: string): Array<{ line: number; code: string }> {
  const out: Array<{ line: number; code: string }> = [];
  let inCell = false;
  text.split("\n").forEach((code, i) => {
    if (/^```/.test(code)) inCell = !inCell && /^```js\b/.test(code);
    else if (inCell) out.push({ line: i + 1, code });
  });
  return out;
}

const BOILERPLATE: Array<[string, RegExp]> = [
  ["an import from the source tree (use `flowdeck/<name>`)", /["'](\.\.?\/)+src\/|["']\/src\//],
  ["a hand-written disposal on `invalidation` (use `own(x)` or `signal`)", /invalidation\s*\.then/],
  ["a hand-made stop flag (use `signal.aborted`)", /\blet\s+stopped\b/],
  ["`Math.min(width, N)` (use `fit(N)`)", /Math\.min\(\s*width\s*,/],
  [
    "a hand-made disposal tracker (use `own(x)`)",
    /\.forEach\(\s*\(?\w+\)?\s*=>\s*\w+\.dispose\(\)\s*\)|for \(const \w+ of \w+\)\s*\w+\.dispose\(\)/,
  ],
];

describe("notebooks and decks", () => {
  it("exist", () => {
    expect(content.map((c) => c.path)).toContain("slides/talk.md");
  });

  it("carry no engine boilerplate", () => {
    const found = content.flatMap(({ path, text }) =>
      cellLines(text).flatMap(({ line, code }) =>
        BOILERPLATE.filter(([, pattern]) => pattern.test(code)).map(
          ([what]) => `${path}:${line}: ${what}`,
        ),
      ),
    );
    expect(found).toEqual([]);
  });

  it("have no `finally` block that only disposes (use `own(x)`)", () => {
    const found = content.flatMap(({ path, text }) =>
      [...text.matchAll(/finally\s*\{([^{}]*)\}/g)]
        .filter((m) => {
          const statements = m[1]!
            .split(/[;\n]/)
            .map((s) => s.trim())
            .filter(Boolean);
          return statements.length > 0 && statements.every((s) => /dispose/i.test(s));
        })
        .map((m) => `${path}:${text.slice(0, m.index).split("\n").length}`),
    );
    expect(found).toEqual([]);
  });
});
