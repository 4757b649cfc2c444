/**
 * The playground's controls as plain form elements (they work with mouse, keyboard and touch
 * inside reveal's scaled slides, since the browser maps pointer events through the transform).
 * Each control carries `name` = the state key it edits; `sync` shows a state without firing.
 */
import { ACTIVATIONS, REGULARIZATIONS } from "../../ml/playground/activations.ts";
import {
  LEARNING_RATES,
  LIMITS,
  REGULARIZATION_RATES,
  type PlaygroundState,
} from "../../ml/playground/config.ts";
import {
  DATASETS,
  datasetsFor,
  type DatasetId,
  type Problem,
} from "../../ml/playground/datasets.ts";

export type Change = (change: Partial<PlaygroundState>) => void;

export interface Control {
  element: HTMLElement;
  sync(state: PlaygroundState): void;
}

function field(label: string, input: HTMLElement, output?: HTMLElement): HTMLElement {
  const el = document.createElement("label");
  el.className = "pg-field";
  const text = document.createElement("span");
  text.className = "pg-field-label";
  text.textContent = label;
  if (output) text.append(" ", output);
  el.append(text, input);
  return el;
}

function select<T extends string | number>(
  name: keyof PlaygroundState,
  options: readonly T[],
  format: (v: T) => string,
  onPick: (v: T) => void,
): { element: HTMLSelectElement; set(v: T): void } {
  const el = document.createElement("select");
  el.name = name;
  const render = (values: readonly T[]) =>
    el.replaceChildren(
      ...values.map((v) =>
        Object.assign(document.createElement("option"), {
          value: String(v),
          textContent: format(v),
        }),
      ),
    );
  render(options);
  el.addEventListener("change", () => {
    const picked = options.find((v) => String(v) === el.value);
    if (picked !== undefined) onPick(picked);
  });
  return {
    element: el,
    set(v) {
      // a value from a link may be off the menu: show it anyway
      if (!options.some((o) => String(o) === String(v))) render([...options, v]);
      el.value = String(v);
    },
  };
}

export function topBar(change: Change): Control {
  const el = document.createElement("div");
  el.className = "pg-topbar-controls";
  const lr = select("learningRate", LEARNING_RATES, String, (v) => change({ learningRate: v }));
  const act = select(
    "activation",
    ACTIVATIONS,
    (v) => (v === "relu" ? "ReLU" : v === "tanh" ? "Tanh" : v === "sigmoid" ? "Sigmoid" : "Linear"),
    (v) => change({ activation: v }),
  );
  const reg = select(
    "regularization",
    REGULARIZATIONS,
    (v) => (v === "none" ? "None" : v),
    (v) => change({ regularization: v }),
  );
  const rate = select("regularizationRate", REGULARIZATION_RATES, String, (v) =>
    change({ regularizationRate: v }),
  );
  const problem = select<Problem>(
    "problem",
    ["classification", "regression"],
    (v) => (v === "classification" ? "Classification" : "Regression"),
    (v) => change({ problem: v }),
  );
  el.append(
    field("Learning rate", lr.element),
    field("Activation", act.element),
    field("Regularization", reg.element),
    field("Regularization rate", rate.element),
    field("Problem type", problem.element),
  );
  return {
    element: el,
    sync(state) {
      lr.set(state.learningRate);
      act.set(state.activation);
      reg.set(state.regularization);
      rate.set(state.regularizationRate);
      problem.set(state.problem);
    },
  };
}

function range(
  name: keyof PlaygroundState,
  label: string,
  min: number,
  max: number,
  step: number,
  onInput: (v: number) => void,
): Control & { input: HTMLInputElement } {
  const input = document.createElement("input");
  input.type = "range";
  input.name = name;
  input.min = String(min);
  input.max = String(max);
  input.step = String(step);
  const out = document.createElement("output");
  input.addEventListener("input", () => {
    out.textContent = input.value;
  });
  // Data changes restart the run: apply on release (change), not on every input event.
  input.addEventListener("change", () => onInput(Number(input.value)));
  return {
    element: field(label, input, out),
    input,
    sync(state) {
      const v = state[name];
      input.value = String(v);
      out.textContent = String(v);
    },
  };
}

/** Small pictures of the data sets of the current problem type, one button each. */
function datasetPicker(change: Change, thumbnail: (id: DatasetId) => HTMLCanvasElement): Control {
  const el = document.createElement("div");
  el.className = "pg-datasets";
  el.setAttribute("role", "radiogroup");
  el.setAttribute("aria-label", "data set");
  let shown: Problem | undefined;
  let buttons: HTMLButtonElement[] = [];
  return {
    element: el,
    sync(state) {
      if (shown !== state.problem) {
        shown = state.problem;
        buttons = datasetsFor(state.problem).map((id) => {
          const b = document.createElement("button");
          b.type = "button";
          b.className = "pg-dataset";
          b.dataset.dataset = id;
          b.title = DATASETS[id].label;
          b.setAttribute("role", "radio");
          b.setAttribute("aria-label", DATASETS[id].label);
          b.append(thumbnail(id));
          b.addEventListener("click", () => change({ dataset: id }));
          return b;
        });
        el.replaceChildren(...buttons);
      }
      for (const b of buttons)
        b.setAttribute("aria-checked", String(b.dataset.dataset === state.dataset));
    },
  };
}

export function dataPanel(
  change: Change,
  regenerate: () => void,
  thumbnail: (id: DatasetId) => HTMLCanvasElement,
): Control {
  const el = document.createElement("div");
  el.className = "pg-data";
  const heading = document.createElement("h3");
  heading.textContent = "Data";
  const picker = datasetPicker(change, thumbnail);
  const ratio = range(
    "trainRatio",
    "Training data %",
    LIMITS.trainRatio.min,
    LIMITS.trainRatio.max,
    10,
    (v) => change({ trainRatio: v }),
  );
  const noise = range("noise", "Noise", LIMITS.noise.min, LIMITS.noise.max, 5, (v) =>
    change({ noise: v }),
  );
  const batch = range(
    "batchSize",
    "Batch size",
    LIMITS.batchSize.min,
    LIMITS.batchSize.max,
    1,
    (v) => change({ batchSize: v }),
  );
  const again = document.createElement("button");
  again.type = "button";
  again.className = "pg-text-button";
  again.dataset.action = "regenerate";
  again.textContent = "Regenerate";
  again.title = "new points and new initial weights (a new seed)";
  again.addEventListener("click", regenerate);
  el.append(heading, picker.element, ratio.element, noise.element, batch.element, again);
  return {
    element: el,
    sync(state) {
      picker.sync(state);
      ratio.sync(state);
      noise.sync(state);
      batch.sync(state);
    },
  };
}

export function checkbox(
  name: "showTestData" | "discretize",
  label: string,
  change: Change,
): Control {
  const input = document.createElement("input");
  input.type = "checkbox";
  input.name = name;
  input.addEventListener("change", () => change({ [name]: input.checked }));
  const el = document.createElement("label");
  el.className = "pg-check";
  el.append(input, " ", label);
  return {
    element: el,
    sync(state) {
      input.checked = state[name];
    },
  };
}
