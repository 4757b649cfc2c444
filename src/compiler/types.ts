/**
 * The contract between the build-time compiler (this folder, Node only) and the browser runtime
 * (src/runtime). The compiler turns Markdown into these structures; the Vite plugin serialises
 * them as JavaScript modules in which `body` is a real function.
 */

/** Where a syntax error sits, 1-based, relative to the cell's own source. */
export interface SourceError {
  message: string;
  line: number;
  column: number;
}

/** One cell as the runtime sees it. `Body` is a string at build time and a function in the browser. */
export interface CellSpec<Body = string> {
  /** unique within its notebook: the author's `id=` or `cell-N` */
  id: string;
  /** the author's JavaScript, verbatim */
  source: string;
  /** the source highlighted at build time: HTML made of `<span class="tok-…">` */
  highlighted: string;
  /** an inline `${…}` cell in prose (renders as a span) */
  inline: boolean;
  /** show the code with the output by default */
  echo: boolean;
  /** unbound references, in the order of the body's parameters */
  inputs: string[];
  /** names the body returns as an object of outputs */
  outputs: string[];
  /** a single named output (viewof / mutable forms) */
  output?: string;
  autodisplay: boolean;
  autoview?: boolean;
  automutable?: boolean;
  /** the transpiled definition; absent when `error` is set */
  body?: Body;
  /** set when the cell does not parse; the runtime shows it in place of the output */
  error?: SourceError;
  /** the cell is an exercise: its code is the starting point the reader edits */
  exercise?: ExerciseSpec;
  /** the cell checks the exercise with this id (it passes when it runs without error) */
  checks?: string;
}

export interface ExerciseSpec {
  /** hints as HTML, revealed one at a time */
  hints: string[];
  /** the author's solution, shown on request */
  solution?: string;
}

export interface NotebookSpec<Body = string> {
  /** file name without `.md` */
  name: string;
  title: string;
  /** prose rendered to HTML, with `<div data-slot="<notebook>/<cell>"></div>` (or span for inline cells) where each cell goes */
  html: string;
  cells: CellSpec<Body>[];
}

/** A reference from a slide to a notebook cell: `{{ notebook/cell }}`. */
export interface CellRef {
  notebook: string;
  cell: string;
  /** show the code beside the output */
  code: boolean;
  /** line highlights stepped through as fragments, as reveal writes them: `2|3-5|7` */
  lines?: string;
}

export interface DeckSpec<Body = string> {
  name: string;
  title: string;
  /**
   * The slides as reveal.js markup: `<section>` elements (nested for vertical stacks), speaker
   * notes in `<aside class="notes">`, and `<div data-slot="<notebook>/<cell>" data-code="true|false">`
   * wherever a cell is embedded.
   */
  html: string;
  /** every notebook the deck embeds, in first-use order (including the deck's own) */
  notebooks: string[];
  /** the deck's own cells, as a notebook named `deck-<name>` (html is empty) */
  own: NotebookSpec<Body>;
}

/** What a compile step reports without failing the build. */
export interface CompileWarning {
  file: string;
  /** 1-based line in the Markdown file */
  line: number;
  column: number;
  message: string;
}
