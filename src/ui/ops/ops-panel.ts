/**
 * Slide 26, live: pick a category and an operation, edit its inputs (JSON numbers), and see the
 * output TensorFlow.js computes and the shape rule that gave its shape. Bad input is explained
 * in place; nothing is evaluated as code.
 */
import type * as TF from "@tensorflow/tfjs";
import { CATALOG, CATEGORIES, runCatalogOp, type CatalogOp } from "../../ml/tensors/catalog.ts";

type Tf = typeof TF;

export interface OpsPanel {
  element: HTMLElement;
  choose(name: string): Promise<void>;
  /** runs the op on the inputs on show */
  run(): Promise<void>;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  style: Partial<CSSStyleDeclaration> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node.style, style);
  return node;
}

export function formatValue(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    typeof v === "number" ? Math.round(v * 1000) / 1000 : v,
  ).replaceAll(",", ", ");
}

export function createOpsPanel(tf: Tf): OpsPanel {
  const root = el("div", { display: "grid", gap: "8px", font: "16px sans-serif" });
  root.dataset.role = "ops-panel";
  const pickers = el("div", {
    display: "flex",
    gap: "8px",
    flexWrap: "wrap",
    alignItems: "center",
  });
  const category = el("select", { font: "16px sans-serif" });
  category.dataset.role = "ops-category";
  const opSelect = el("select", { font: "16px sans-serif" });
  opSelect.dataset.role = "ops-op";
  for (const c of CATEGORIES) category.append(new Option(c, c));
  pickers.append(category, opSelect);
  const code = el("code", { fontSize: "16px" });
  const inputs = el("div", {
    display: "grid",
    gridTemplateColumns: "auto minmax(0, 1fr)",
    gap: "6px",
    alignItems: "center",
  });
  const output = el("pre", {
    margin: "0",
    font: "16px var(--fd-mono, monospace)",
    whiteSpace: "pre-wrap",
  });
  output.dataset.role = "ops-output";
  const rule = el("div", { fontSize: "16px", color: "#333" });
  rule.dataset.role = "ops-rule";
  root.append(pickers, code, inputs, output, rule);

  let op: CatalogOp = CATALOG[0]!;
  let fields: HTMLInputElement[] = [];
  let ticket = 0;

  const run = async () => {
    const mine = ++ticket;
    try {
      const result = await runCatalogOp(
        tf,
        op,
        fields.map((f) => f.value),
      );
      const value = await result.output.array();
      const shape = result.output.shape;
      const dtype = result.output.dtype;
      result.output.dispose();
      if (mine !== ticket) return;
      output.textContent = `${formatValue(value)}\nshape [${shape.join(", ")}], ${dtype}`;
      output.style.color = "inherit";
      rule.textContent = `shape rule: ${result.rule}`;
      root.dataset.state = "ok";
    } catch (e) {
      if (mine !== ticket) return;
      output.textContent = (e as Error).message;
      output.style.color = "var(--fd-error, #b42318)";
      rule.textContent = "";
      root.dataset.state = "error";
    }
  };

  const show = (next: CatalogOp) => {
    op = next;
    root.dataset.op = op.name;
    code.textContent = op.code;
    inputs.replaceChildren();
    fields = op.inputs.map((input) => {
      // border-box: a full-width field with its border and padding stays inside its column.
      const field = el("input", {
        font: "16px var(--fd-mono, monospace)",
        width: "100%",
        boxSizing: "border-box",
      });
      field.value = input.value;
      field.dataset.input = input.name;
      field.oninput = () => void run();
      inputs.append(el("label"), field);
      (inputs.lastElementChild!.previousElementSibling as HTMLElement).textContent = input.name;
      return field;
    });
  };

  const fillOps = () => {
    opSelect.replaceChildren(
      ...CATALOG.filter((o) => o.category === category.value).map(
        (o) => new Option(o.name, o.name),
      ),
    );
  };
  const choose = async (name: string) => {
    const next = CATALOG.find((o) => o.name === name);
    if (!next) throw new Error(`no operation ${name}`);
    category.value = next.category;
    fillOps();
    opSelect.value = name;
    show(next);
    await run();
  };
  category.onchange = () => {
    fillOps();
    void choose(opSelect.value);
  };
  opSelect.onchange = () => void choose(opSelect.value);
  fillOps();
  show(op);
  void run();
  return { element: root, choose, run };
}
