/**
 * The names every cell can use without declaring them. All are bundled (a talk runs offline) and
 * all but the smallest load on first use, so a slide with no cell pays for none of them. The
 * per-run names (`signal`, `own`, `fit`) come from the runtime itself (src/runtime/cell-body.ts).
 */
import type { Tf, TensorFlowHost } from "../ml/backend.ts";
import { standardBuiltins } from "../runtime/builtins.ts";
import type { Builtins } from "../runtime/host.ts";
import { Generators } from "../runtime/kit.ts";

export interface BuiltinContext {
  tensorflow: TensorFlowHost;
  /** the element whose width `width` reports (the slide, or the notebook's column) */
  widthRoot: () => Element;
  /** what the workshop adds (`check`), when the page has one */
  extra?: Builtins;
  /** told of TensorFlow.js once a cell first loads it */
  onTensorFlow?: (tf: Tf) => void;
  /** the page is the print view (`?print-pdf`, and so the gallery) */
  printing?: boolean;
}

export function pageBuiltins({
  tensorflow,
  widthRoot,
  extra,
  onTensorFlow,
  printing = false,
}: BuiltinContext): Builtins {
  return {
    ...standardBuiltins(),
    tf: () => tensorflow.load().then((tf) => (onTensorFlow?.(tf), tf)),
    d3: () => import("d3"),
    Plot: () =>
      Promise.all([import("@observablehq/plot"), import("../ui/plot-defaults.ts")]).then(
        ([plot, defaults]) => defaults.legiblePlot(plot),
      ),
    Inputs: () => import("@observablehq/inputs"),
    htl: () => import("htl"),
    html: () => import("htl").then((htl) => htl.html),
    svg: () => import("htl").then((htl) => htl.svg),
    tex: () => import("../ui/tex.ts").then((m) => m.tex),
    md: () => import("notebook-kit/md").then((m) => m.md),
    width: () => Generators.width(widthRoot()),
    // A widget that waits for the reader (a button, a pad) makes a short real run for paper.
    printing: () => printing,
    ...extra,
  };
}
