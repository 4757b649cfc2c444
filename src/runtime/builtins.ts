/**
 * The names every cell can use without declaring them. All are bundled (a talk runs offline) and
 * all but the smallest load on first use, so a slide with no cell pays for none of them.
 */
import { Generators, Mutable } from "./kit.ts";
import type { TensorFlowHost } from "../ml/backend.ts";

export interface BuiltinContext {
  tensorflow: TensorFlowHost;
  /** the element whose width `width` reports (the slide, or the notebook's column) */
  widthRoot: () => Element;
}

export type Builtins = Record<string, () => unknown>;

export function createBuiltins({ tensorflow, widthRoot }: BuiltinContext): Builtins {
  return {
    tf: () => tensorflow.load(),
    d3: () => import("d3"),
    Plot: () => import("@observablehq/plot"),
    Inputs: () => import("@observablehq/inputs"),
    htl: () => import("htl"),
    html: () => import("htl").then((htl) => htl.html),
    svg: () => import("htl").then((htl) => htl.svg),
    tex: () => import("./tex.ts").then((m) => m.tex),
    md: () => import("notebook-kit/md").then((m) => m.md),
    check: () => import("../workshop/checks.ts").then((m) => m.check),
    width: () => Generators.width(widthRoot()),
    now: () => Generators.now(),
    Generators: () => Generators,
    Mutable: () => Mutable,
  };
}
