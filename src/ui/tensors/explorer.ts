/**
 * The tensor explorer: choose a rank and a shape, see the values, point at one to read
 * t[i][j]…, its flat offset and the strides that give it; reshape, transpose, slice, concat and
 * broadcast move the same values to their new places (computed by TensorFlow.js: the op is
 * applied to the values and, alongside, to their offsets, which says where each one came from).
 */
import type * as TF from "@tensorflow/tfjs";
import {
  broadcastRules,
  indexNotation,
  indexOf,
  reshapeTo,
  sizeOf,
  stridesOf,
  transposeShape,
} from "../../ml/tensors/layout.ts";
import { checkDrawable, defaultShape, MAX_RANK } from "./geometry.ts";
import { createTensorView, type Drawn } from "./tensor-view.ts";

type Tf = typeof TF;

export interface Example {
  label: string;
  /** what the example is, for the caption */
  about: string;
  load(signal: AbortSignal): Promise<Omit<Drawn, "sources">>;
}

export interface TensorExplorer {
  element: HTMLElement;
  /** the tensor on show (owned by the explorer) */
  readonly tensor: TF.Tensor;
  apply(op: OpName): Promise<void>;
  setShape(shape: number[]): void;
  dispose(): void;
}

export type OpName = "reshape" | "transpose" | "slice" | "concat" | "broadcast";

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  style: Partial<CSSStyleDeclaration> = {},
  text = "",
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node.style, style);
  if (text) node.textContent = text;
  return node;
}

export function parseShape(text: string): number[] {
  const inner = text
    .trim()
    .replace(/^\[|\]$/g, "")
    .trim();
  if (inner === "") return [];
  return inner
    .split(/[\s,×x]+/)
    .filter(Boolean)
    .map((part) => {
      const n = Number(part);
      if (!Number.isInteger(n))
        throw new Error(`"${part}" is not a whole number: write a shape like [2, 3, 4]`);
      return n;
    });
}

export function createTensorExplorer(
  tf: Tf,
  options: {
    width: number;
    examples: Example[];
    /** what to show first (else 0…23 as [2, 3, 4]) */
    initial?: Omit<Drawn, "sources">;
    /** the tensor's name in t[i][j]… */
    name?: string;
  },
): TensorExplorer {
  const root = el("div", { display: "grid", gap: "8px", font: "16px sans-serif" });
  root.dataset.role = "tensor-explorer";
  const controls = el("div", {
    display: "flex",
    flexWrap: "wrap",
    gap: "8px",
    alignItems: "center",
  });
  const rank = el("input");
  Object.assign(rank, { type: "range", min: "0", max: String(MAX_RANK), step: "1", value: "3" });
  rank.dataset.role = "tensor-rank";
  const rankLabel = el("span", { minWidth: "4.5em" });
  const shapeInput = el("input", { font: "16px var(--fd-mono, monospace)", width: "9em" });
  shapeInput.dataset.role = "tensor-shape";
  const reshapeInput = el("input", { font: "16px var(--fd-mono, monospace)", width: "6em" });
  reshapeInput.value = "[-1]";
  reshapeInput.dataset.role = "tensor-reshape";
  const opsRow = el("div", { display: "flex", flexWrap: "wrap", gap: "6px", alignItems: "center" });
  const examplesRow = el("div", {
    display: "flex",
    flexWrap: "wrap",
    gap: "6px",
    alignItems: "center",
  });
  const message = el("div", { minHeight: "1.4em", color: "var(--fd-error, #b42318)" });
  message.dataset.role = "tensor-message";
  const info = el("div", {
    font: "16px var(--fd-mono, monospace)",
    minHeight: "2.8em",
    lineHeight: "1.4",
  });
  info.dataset.role = "tensor-info";
  const memoryStrip = el("canvas", { width: "100%", height: "18px", imageRendering: "pixelated" });
  const memoryCaption = el("div", { fontSize: "16px", color: "var(--fd-muted, #666)" });

  controls.append(el("span", {}, "rank"), rank, rankLabel, el("span", {}, "shape"), shapeInput);
  let disposed = false;
  const abort = new AbortController();
  const first = options.initial ?? {
    shape: [2, 3, 4],
    values: Float32Array.from({ length: 24 }, (_, i) => i),
  };
  checkDrawable(first.shape);
  let tensor: TF.Tensor = tf.tensor(Array.from(first.values), first.shape);
  let drawn: Drawn = { ...first };
  let name = options.name ?? "t";

  const view = createTensorView({
    width: options.width,
    height: Math.max(220, Math.min(420, options.width * 0.5)),
    onHover: (k) => hover(k),
  });

  const hover = (k: number | undefined) => {
    view.highlight(k);
    drawMemory(k);
    root.dataset.hover = k === undefined ? "" : String(k);
    const shape = drawn.shape;
    if (k === undefined) {
      info.textContent = `${name}: shape [${shape.join(", ")}], rank ${shape.length}, ${sizeOf(shape)} values · strides [${stridesOf(shape).join(", ")}] · point at a value`;
      return;
    }
    const index = shape.length ? indexOf(k, shape) : [];
    const strides = stridesOf(shape);
    const sum = index.map((i, a) => `${i}·${strides[a]}`).join(" + ") || "0";
    const value = drawn.values[k]!;
    info.textContent = `${indexNotation(name, index)} = ${Number.isInteger(value) ? value : value.toFixed(3)}\noffset ${sum} = ${k} · strides [${strides.join(", ")}]`;
    info.style.whiteSpace = "pre-line";
  };

  const drawMemory = (k: number | undefined) => {
    const n = drawn.values.length;
    memoryStrip.width = Math.max(1, Math.min(n, 1024));
    memoryStrip.height = 1;
    const ctx = memoryStrip.getContext("2d");
    if (!ctx) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++)
      [lo, hi] = [Math.min(lo, drawn.values[i]!), Math.max(hi, drawn.values[i]!)];
    const image = ctx.createImageData(memoryStrip.width, 1);
    for (let x = 0; x < memoryStrip.width; x++) {
      const i = Math.floor((x * n) / memoryStrip.width);
      const v = hi > lo ? (drawn.values[i]! - lo) / (hi - lo) : 0.5;
      const hit = k !== undefined && Math.floor((k * memoryStrip.width) / n) === x;
      const c = hit ? [245, 147, 34] : [241 - 182 * v, 245 - 134 * v, 251 - 69 * v];
      image.data.set([...c.map(Math.round), 255], x * 4);
    }
    ctx.putImageData(image, 0, 0);
    memoryCaption.textContent = `in memory: ${n} values in one row, the order dataSync() returns${k === undefined ? "" : `; offset ${k} marked`}`;
  };

  const replace = (next: TF.Tensor, d: Drawn, animate: boolean) => {
    if (next !== tensor) tensor.dispose();
    tensor = next;
    drawn = d;
    root.dataset.shape = JSON.stringify(d.shape);
    shapeInput.value = `[${d.shape.join(", ")}]`;
    rank.value = String(d.shape.length);
    rankLabel.textContent =
      ["scalar", "vector", "matrix", "cube", "rank 4", "rank 5"][d.shape.length] ?? "";
    view.show(d, animate);
    hover(undefined);
    message.textContent = "";
  };

  const setShape = (shape: number[]) => {
    checkDrawable(shape);
    const next = tf.tidy(() => tf.range(0, sizeOf(shape)).reshape(shape));
    name = options.name ?? "t";
    replace(next, { shape, values: next.dataSync() }, false);
  };

  const fail = (e: unknown) => {
    message.textContent = (e as Error).message;
  };

  /** Applies an op to the values and to their offsets: the second says where each value came from. */
  const apply = async (op: OpName) => {
    const shape = drawn.shape;
    let note = "";
    const run = (f: (t: TF.Tensor) => TF.Tensor) =>
      tf.tidy(() => {
        const ids = tf.range(0, sizeOf(shape), 1, "int32").reshape(shape);
        return [f(tensor), f(ids)] as const;
      });
    let result: readonly [TF.Tensor, TF.Tensor];
    switch (op) {
      case "reshape": {
        const target = reshapeTo(shape, parseShape(reshapeInput.value));
        checkDrawable(target);
        result = run((t) => t.reshape(target));
        note = `reshape: the same ${sizeOf(shape)} values in the same order, read with new strides [${stridesOf(target).join(", ")}]`;
        break;
      }
      case "transpose": {
        if (shape.length < 2) throw new Error("transpose needs rank 2 or more: it swaps axes");
        result = run((t) => t.transpose());
        note = `transpose: axes reversed, [${shape.join(", ")}] → [${transposeShape(shape).join(", ")}]; values move, so they are copied in a new order`;
        break;
      }
      case "slice": {
        if (shape.length === 0) throw new Error("a scalar has no axis to slice");
        const keep = Math.max(1, Math.ceil(shape[0]! / 2));
        result = run((t) => t.slice(0, keep));
        note = `slice(0, ${keep}): the first ${keep} of ${shape[0]} along axis 0`;
        break;
      }
      case "concat": {
        if (shape.length === 0) throw new Error("a scalar has no axis to concatenate along");
        checkDrawable([shape[0]! * 2, ...shape.slice(1)]);
        // The second copy's offsets are -1: new values, they fade in.
        result = tf.tidy(() => {
          const ids = tf.range(0, sizeOf(shape), 1, "int32").reshape(shape);
          return [
            tf.concat([tensor, tensor.add(100)]),
            tf.concat([ids, tf.fill(shape, -1, "int32")]),
          ] as const;
        });
        note = "concat([t, t + 100], axis 0): axis 0 doubles, the other axes must match";
        break;
      }
      case "broadcast": {
        const ones = shape.findIndex((n) => n === 1);
        const target = ones >= 0 ? shape.map((n, i) => (i === ones ? 3 : n)) : [3, ...shape];
        if (target.length > MAX_RANK)
          throw new Error(
            `broadcasting adds an axis: rank ${target.length} is beyond the explorer`,
          );
        checkDrawable(target);
        const rules = broadcastRules(shape, target);
        result = run((t) => t.broadcastTo(target));
        note = `broadcastTo([${target.join(", ")}]): ${rules
          .filter((r) => r.rule !== "equal")
          .map(
            (r) =>
              `axis ${r.axis} ${r.a === undefined ? "is added" : "of size 1 is stretched"} to ${r.out}`,
          )
          .join("; ")}: copies of the same values, no new data`;
        break;
      }
    }
    const [values, sources] = result;
    const [v, s] = await Promise.all([values.data(), sources.data()]);
    sources.dispose();
    if (disposed) {
      values.dispose();
      return;
    }
    replace(values, { shape: values.shape, values: v, sources: s, tint: drawn.tint }, true);
    message.textContent = "";
    root.dataset.op = op;
    opNote.textContent = note;
  };

  const opNote = el("div", { fontSize: "16px", minHeight: "1.4em" });
  opNote.dataset.role = "tensor-op-note";
  for (const op of ["reshape", "transpose", "slice", "concat", "broadcast"] as const) {
    const b = el("button", { font: "16px sans-serif" }, op);
    b.dataset.op = op;
    b.onclick = () => apply(op).catch(fail);
    opsRow.append(b);
    if (op === "reshape") opsRow.append(reshapeInput);
  }
  const reset = el("button", { font: "16px sans-serif" }, "reset");
  reset.onclick = () => setShape(defaultShape(Number(rank.value)));
  opsRow.append(reset);

  // a slide that explores one tensor of its own offers no examples: no empty row for them
  if (options.examples.length === 0) examplesRow.style.display = "none";
  examplesRow.append(el("span", {}, "real examples:"));
  for (const example of options.examples) {
    const b = el("button", { font: "16px sans-serif" }, example.label);
    b.dataset.example = example.label;
    b.onclick = async () => {
      message.textContent = `loading ${example.label}…`;
      message.style.color = "inherit";
      try {
        const d = await example.load(abort.signal);
        if (disposed) return;
        checkDrawable(d.shape);
        name =
          example.label
            .split(" ")[0]!
            .toLowerCase()
            .replace(/[^a-z]/g, "") || "t";
        replace(tf.tensor(Array.from(d.values), d.shape), d, false);
        opNote.textContent = example.about;
        root.dataset.example = example.label;
      } catch (e) {
        fail(e);
      } finally {
        message.style.color = "var(--fd-error, #b42318)";
      }
    };
    examplesRow.append(b);
  }

  rank.oninput = () => setShape(defaultShape(Number(rank.value)));
  shapeInput.onchange = () => {
    try {
      setShape(parseShape(shapeInput.value));
    } catch (e) {
      fail(e);
    }
  };

  root.append(
    controls,
    view.element,
    info,
    memoryStrip,
    memoryCaption,
    opsRow,
    opNote,
    examplesRow,
    message,
  );
  replace(tensor, drawn, false);

  return {
    element: root,
    get tensor() {
      return tensor;
    },
    apply,
    setShape,
    dispose() {
      disposed = true;
      abort.abort();
      tensor.dispose();
    },
  };
}
