/**
 * The modules a cell can import, by name: `flowdeck/<name>` is `src/lib/<name>.ts` (the project's
 * shared code, as notebooks see it), plus the bundled libraries under their package names. Every
 * `import(…)` in a compiled cell calls `importModule` instead (src/compiler/module-imports.ts),
 * at build time and in a reader's edit alike, so nothing is fetched from the network and a
 * module's place in the source tree can change without touching a notebook.
 */
import { PROJECT_PREFIX } from "../compiler/reserved-names.ts";

const project = import.meta.glob<Record<string, unknown>>(["./*.ts", "!./registry.ts"]);

const bundled: Record<string, () => Promise<unknown>> = {
  d3: () => import("d3"),
  "@observablehq/plot": () => import("@observablehq/plot"),
  "@observablehq/inputs": () => import("@observablehq/inputs"),
  htl: () => import("htl"),
};

export class ModuleNotFoundError extends Error {
  override name = "ModuleNotFoundError";
}

/** The names a cell can import, for messages and docs. */
export function importableNames(): string[] {
  const own = Object.keys(project).map((path) => PROJECT_PREFIX + path.slice(2, -3));
  return [...own.sort(), ...Object.keys(bundled)];
}

export function importModule(specifier: unknown): Promise<unknown> {
  if (typeof specifier !== "string") {
    return Promise.reject(new ModuleNotFoundError("import() needs a module name as a string"));
  }
  const load = specifier.startsWith(PROJECT_PREFIX)
    ? project[`./${specifier.slice(PROJECT_PREFIX.length)}.ts`]
    : bundled[specifier];
  if (load) return load();
  const hint =
    specifier === "@tensorflow/tfjs"
      ? "TensorFlow.js is the built-in `tf`: use it without importing it"
      : `a cell can import ${importableNames().join(", ")}; the deck runs offline, so nothing else is fetched`;
  return Promise.reject(new ModuleNotFoundError(`Cannot import "${specifier}": ${hint}`));
}
