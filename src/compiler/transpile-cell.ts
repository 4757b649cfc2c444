import { parseJavaScript, transpileJavaScript } from "@observablehq/notebook-kit";
import { highlightJavaScript } from "./highlight.ts";
import { guardLoops } from "./loop-guards.ts";
import { rewriteImports } from "./module-imports.ts";
import type { CellSpec, SourceError } from "./types.ts";

export interface CellOptions {
  id: string;
  /** an inline `${…}` cell: it must be a single expression */
  inline: boolean;
  echo: boolean;
  /** the cell's key (`notebook/cell`), to name it when its code is stopped */
  key?: string;
}

/**
 * Transpiles one cell with notebook-kit (this module is the only one that knows about it). Bad
 * user code never throws: the cell comes back with `error` and no `body`.
 */
export function transpileCell(source: string, { id, inline, echo, key }: CellOptions): CellSpec {
  const cell: CellSpec = {
    id,
    source,
    highlighted: highlightJavaScript(source),
    inline,
    echo,
    inputs: [],
    outputs: [],
    autodisplay: false,
  };
  // acorn accepts a hashbang at the start of the input, but not once wrapped in a function body.
  if (source.startsWith("#!")) {
    return { ...cell, error: { message: "A cell cannot start with #!", line: 1, column: 1 } };
  }
  try {
    if (inline && !parseJavaScript(source).expression) {
      return {
        ...cell,
        error: { message: "An inline cell must be an expression", line: 1, column: 1 },
      };
    }
    const transpiled = transpileJavaScript(source);
    return {
      ...cell,
      inputs: transpiled.inputs ?? [],
      outputs: transpiled.outputs ?? [],
      ...(transpiled.output !== undefined && { output: transpiled.output }),
      autodisplay: transpiled.autodisplay ?? false,
      ...(transpiled.autoview !== undefined && { autoview: transpiled.autoview }),
      ...(transpiled.automutable !== undefined && { automutable: transpiled.automutable }),
      body: guardLoops(rewriteImports(transpiled.body), key ?? id),
    };
  } catch (error) {
    return { ...cell, error: toSourceError(error) };
  }
}

/** Last statements that only make sense as something to show (html`…`, a bare name). */
const SHOWN_KINDS = new Set(["TaggedTemplateExpression", "Identifier"]);

/**
 * A block cell that is a program (it imports, or has several statements) shows only what it
 * passes to `display()`: a trailing html`…` is computed and dropped without a word, so the slide
 * is silently empty. Says where, for the build's warnings; undefined when the cell is fine.
 */
export function unshownResult(source: string): SourceError | undefined {
  let parsed: ReturnType<typeof parseJavaScript>;
  try {
    parsed = parseJavaScript(source);
  } catch {
    return undefined; // a syntax error is reported by transpileCell
  }
  if (parsed.expression) return undefined;
  const statements =
    (
      parsed.body as {
        body?: Array<{ type: string; start: number; expression?: { type: string } }>;
      }
    ).body ?? [];
  const last = statements.at(-1);
  if (last?.type !== "ExpressionStatement" || !SHOWN_KINDS.has(last.expression?.type ?? ""))
    return undefined;
  if (/\bdisplay\s*\(/.test(source)) return undefined;
  const before = source.slice(0, last.start).split("\n");
  return {
    message:
      "This expression is not shown: a cell with imports or several statements shows only what it passes to display(…)",
    line: before.length,
    column: before.at(-1)!.length + 1,
  };
}

const POSITION_SUFFIX = /\s*\((\d+):(\d+)\)$/;

/**
 * acorn's errors carry `loc` (1-based line, 0-based column) and a "(line:column)" suffix;
 * notebook-kit's own checks (e.g. assignment to an input) only have the suffix.
 */
function toSourceError(error: unknown): SourceError {
  const text = error instanceof Error ? error.message : String(error);
  const suffix = POSITION_SUFFIX.exec(text);
  const message = text.replace(POSITION_SUFFIX, "");
  const loc = errorLocation(error);
  if (loc) return { message, line: loc.line, column: loc.column + 1 };
  if (suffix) return { message, line: Number(suffix[1]), column: Number(suffix[2]) + 1 };
  return { message, line: 1, column: 1 };
}

function errorLocation(error: unknown): { line: number; column: number } | undefined {
  if (typeof error !== "object" || error === null || !("loc" in error)) return undefined;
  const loc: unknown = error.loc;
  if (typeof loc !== "object" || loc === null) return undefined;
  if (!("line" in loc) || !("column" in loc)) return undefined;
  const { line, column } = loc;
  return typeof line === "number" && typeof column === "number" ? { line, column } : undefined;
}
