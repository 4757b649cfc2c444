/**
 * Sliders for the scaling cost model. The element works with a cell's `view()`: its `value` is
 * the current `CostParams` and it fires `input` when a control moves. Text is 16 px.
 */
import type { CostParams, Topology } from "../../ml/parallelism/cost-model.ts";

interface SliderSpec {
  key: "computeSeconds" | "bytesPerStep" | "bandwidth" | "latency" | "nodes";
  label: string;
  min: number;
  max: number;
  log?: boolean;
  /** shown value, from the model's unit */
  show: (v: number) => string;
  integer?: boolean;
}

const SPECS: SliderSpec[] = [
  {
    key: "computeSeconds",
    label: "compute per step",
    min: 0.001,
    max: 20,
    log: true,
    show: (v) => seconds(v),
  },
  {
    key: "bytesPerStep",
    label: "gradient per step (32-bit)",
    min: 1e4,
    max: 1e9,
    log: true,
    show: (v) => bytes(v),
  },
  {
    key: "bandwidth",
    label: "bandwidth per link",
    min: 1e7,
    max: 1e11,
    log: true,
    show: (v) => `${((v * 8) / 1e9).toPrecision(3)} Gb/s`,
  },
  {
    key: "latency",
    label: "latency per message",
    min: 1e-7,
    max: 1e-2,
    log: true,
    show: (v) => seconds(v),
  },
  { key: "nodes", label: "nodes", min: 1, max: 64, integer: true, show: (v) => String(v) },
];

function seconds(v: number): string {
  if (v >= 1) return `${v.toPrecision(3)} s`;
  if (v >= 1e-3) return `${(v * 1e3).toPrecision(3)} ms`;
  return `${(v * 1e6).toPrecision(3)} µs`;
}

function bytes(v: number): string {
  if (v >= 1e9) return `${(v / 1e9).toPrecision(3)} GB`;
  if (v >= 1e6) return `${(v / 1e6).toPrecision(3)} MB`;
  return `${(v / 1e3).toPrecision(3)} kB`;
}

const STEPS = 1000;
const toPosition = (s: SliderSpec, v: number) =>
  s.log
    ? (Math.log(v / s.min) / Math.log(s.max / s.min)) * STEPS
    : ((v - s.min) / (s.max - s.min)) * STEPS;
const fromPosition = (s: SliderSpec, p: number) => {
  const v = s.log ? s.min * (s.max / s.min) ** (p / STEPS) : s.min + ((s.max - s.min) * p) / STEPS;
  return s.integer ? Math.round(v) : v;
};

export interface CostControls extends HTMLElement {
  value: CostParams;
}

export function costControls(initial: CostParams): CostControls {
  const root = document.createElement("form") as unknown as CostControls;
  root.dataset.role = "cost-controls";
  root.style.cssText =
    "display:grid;grid-template-columns:max-content 1fr 7em;gap:4px 12px;align-items:center;font:16px/1.3 system-ui,sans-serif;text-align:left";
  root.addEventListener("submit", (e) => e.preventDefault());
  let value: CostParams = { ...initial };
  const changed = () => root.dispatchEvent(new Event("input", { bubbles: true }));

  for (const spec of SPECS) {
    const label = document.createElement("label");
    label.textContent = spec.label;
    const input = document.createElement("input");
    input.type = "range";
    input.name = spec.key;
    input.min = "0";
    input.max = String(spec.integer ? spec.max - spec.min : STEPS);
    input.step = "1";
    const out = document.createElement("output");
    const position = (v: number) => (spec.integer ? v - spec.min : toPosition(spec, v));
    const read = () =>
      spec.integer ? spec.min + Number(input.value) : fromPosition(spec, Number(input.value));
    input.value = String(position(value[spec.key]));
    out.textContent = spec.show(value[spec.key]);
    input.addEventListener("input", (event) => {
      event.stopPropagation();
      value = { ...value, [spec.key]: read() };
      out.textContent = spec.show(value[spec.key]);
      changed();
    });
    label.htmlFor = input.id = `cost-${spec.key}-${Math.random().toString(36).slice(2, 8)}`;
    root.append(label, input, out);
  }

  const choice = <T extends string | number>(
    name: string,
    label: string,
    options: ReadonlyArray<[T, string]>,
    current: T,
    set: (v: T) => void,
  ) => {
    const caption = document.createElement("span");
    caption.textContent = label;
    const group = document.createElement("span");
    group.style.cssText = "grid-column:span 2;display:flex;gap:16px;flex-wrap:wrap";
    for (const [v, text] of options) {
      const item = document.createElement("label");
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = name;
      radio.value = String(v);
      radio.checked = v === current;
      radio.addEventListener("input", (event) => {
        event.stopPropagation();
        set(v);
        changed();
      });
      item.append(radio, ` ${text}`);
      group.append(item);
    }
    root.append(caption, group);
  };
  choice<32 | 16 | 8>(
    "bits",
    "gradient precision",
    [
      [32, "32 bits"],
      [16, "16 bits"],
      [8, "8 bits"],
    ],
    value.bits,
    (bits) => (value = { ...value, bits }),
  );
  choice<Topology>(
    "topology",
    "exchange",
    [
      ["allreduce", "ring all-reduce"],
      ["ps", "parameter server"],
    ],
    value.topology,
    (topology) => (value = { ...value, topology }),
  );

  Object.defineProperty(root, "value", { get: () => value, set: (v: CostParams) => (value = v) });
  return root;
}

/** Radio buttons at 16 px for a cell's `view()`: `value` is the chosen option. */
export function choiceInput(
  label: string,
  options: readonly string[],
  initial: string = options[0] ?? "",
): HTMLElement & { value: string } {
  const root = document.createElement("form") as unknown as HTMLElement & { value: string };
  root.style.cssText = "display:flex;gap:16px;flex-wrap:wrap;font:16px/1.3 system-ui,sans-serif";
  root.addEventListener("submit", (e) => e.preventDefault());
  let value = initial;
  const caption = document.createElement("span");
  caption.textContent = label;
  root.append(caption);
  const name = `choice-${Math.random().toString(36).slice(2, 8)}`;
  for (const option of options) {
    const item = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = name;
    radio.value = option;
    radio.checked = option === initial;
    radio.addEventListener("input", (event) => {
      event.stopPropagation();
      value = option;
      root.dispatchEvent(new Event("input", { bubbles: true }));
    });
    item.append(radio, ` ${option}`);
    root.append(item);
  }
  Object.defineProperty(root, "value", { get: () => value });
  return root;
}
