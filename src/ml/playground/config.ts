/**
 * The playground's whole state in one typed object, with its defaults (those of TensorFlow
 * Playground), its valid ranges, and its URL form. Everything a run depends on is here,
 * the seed included, so a link reproduces a run exactly.
 */
import {
  ACTIVATIONS,
  REGULARIZATIONS,
  type Activation,
  type Regularization,
} from "./activations.ts";
import { DATASETS, DATASET_IDS, datasetsFor, type DatasetId, type Problem } from "./datasets.ts";
import { FEATURE_IDS, isFeatureId, type FeatureId } from "./features.ts";

export interface PlaygroundState {
  dataset: DatasetId;
  /** must agree with the data set's own problem; `decodeState` fixes a mismatch */
  problem: Problem;
  /** 0–50, percent */
  noise: number;
  /** 10–90, percent of the points used for training */
  trainRatio: number;
  /** 1–30 */
  batchSize: number;
  learningRate: number;
  activation: Activation;
  regularization: Regularization;
  regularizationRate: number;
  /** the network's inputs, in this order; at least one, no repeats */
  features: FeatureId[];
  /** neurons per hidden layer: 0–6 layers of 1–8 neurons */
  hiddenLayers: number[];
  /** 1–32 characters from [A-Za-z0-9._-] */
  seed: string;
  showTestData: boolean;
  discretize: boolean;
}

export const LIMITS = {
  noise: { min: 0, max: 50 },
  trainRatio: { min: 10, max: 90 },
  batchSize: { min: 1, max: 30 },
  learningRate: { min: 0, max: 10 },
  regularizationRate: { min: 0, max: 10 },
  layers: { min: 0, max: 6 },
  neurons: { min: 1, max: 8 },
  seedLength: 32,
} as const;

/** The values the Playground's menus offer; other values in range are accepted too. */
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

const DEFAULTS: PlaygroundState = {
  dataset: "circle",
  problem: "classification",
  noise: 0,
  trainRatio: 50,
  batchSize: 10,
  learningRate: 0.03,
  activation: "tanh",
  regularization: "none",
  regularizationRate: 0,
  features: ["x1", "x2"],
  hiddenLayers: [4, 2],
  seed: "flowdeck",
  showTestData: false,
  discretize: false,
};
Object.freeze(DEFAULTS.features);
Object.freeze(DEFAULTS.hiddenLayers);
export const DEFAULT_STATE: Readonly<PlaygroundState> = Object.freeze(DEFAULTS);

export function defaultState(): PlaygroundState {
  return {
    ...DEFAULT_STATE,
    features: [...DEFAULT_STATE.features],
    hiddenLayers: [...DEFAULT_STATE.hiddenLayers],
  };
}

/** Switching the problem type also switches to that problem's first data set. */
export function withProblem(state: PlaygroundState, problem: Problem): PlaygroundState {
  if (state.problem === problem) return state;
  return { ...state, problem, dataset: datasetsFor(problem)[0] as DatasetId };
}

// ---------------------------------------------------------------------------------------------
// URL form: `d=xor&lr=0.1&h=4,4,2&f=x1,x2,x1x2`, short keys, defaults left out unless asked for.
// Numbers are written with String(n), which reads back to the identical double.

type Key = keyof PlaygroundState;

const SHORT: Readonly<Record<Key, string>> = {
  dataset: "d",
  problem: "p",
  noise: "n",
  trainRatio: "tr",
  batchSize: "b",
  learningRate: "lr",
  activation: "a",
  regularization: "r",
  regularizationRate: "rr",
  features: "f",
  hiddenLayers: "h",
  seed: "s",
  showTestData: "t",
  discretize: "q",
};
const KEYS = Object.keys(SHORT) as Key[];
const LONG = new Map(KEYS.map((k) => [SHORT[k], k] as const));

const PROBLEM_CODE: Readonly<Record<Problem, string>> = { classification: "c", regression: "r" };
const SEED_PATTERN = /^[A-Za-z0-9._-]+$/;

function encodeValue(key: Key, state: PlaygroundState): string {
  switch (key) {
    case "problem":
      return PROBLEM_CODE[state.problem];
    case "features":
      return state.features.join(",");
    case "hiddenLayers":
      return state.hiddenLayers.join(",");
    case "showTestData":
    case "discretize":
      return state[key] ? "1" : "0";
    default:
      return String(state[key]);
  }
}

export interface EncodeOptions {
  /** write every key, defaults included (default: only the values that differ) */
  full?: boolean;
}

/** The state as `key=value&…` (no leading `#` or `?`); "" for the default state. */
export function encodeState(state: PlaygroundState, options: EncodeOptions = {}): string {
  const parts: string[] = [];
  for (const key of KEYS) {
    const value = encodeValue(key, state);
    if (!options.full && value === encodeValue(key, DEFAULT_STATE)) continue;
    parts.push(`${SHORT[key]}=${encodeURIComponent(value)}`);
  }
  return parts.join("&");
}

export interface StateProblem {
  /** the state's key, or the unknown key as written */
  key: string;
  /** the value as written */
  value: string;
  message: string;
}

type Parsed<T> = { ok: true; value: T; note?: string } | { ok: false; message: string };

function parseNumber(raw: string, min: number, max: number, integer: boolean): Parsed<number> {
  // Number("") is 0 and Number(" 1") is 1: insist on something that looks like a number
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw))
    return { ok: false, message: "not a number" };
  const n = Number(raw);
  if (!Number.isFinite(n)) return { ok: false, message: "not a finite number" };
  let value = integer ? Math.round(n) : n;
  value = Math.max(min, Math.min(max, value));
  if (value !== n)
    return {
      ok: true,
      value,
      note: `out of range [${min}, ${max}]${integer ? " or not whole" : ""}: used ${value}`,
    };
  return { ok: true, value };
}

function parseChoice<T extends string>(raw: string, choices: readonly T[]): Parsed<T> {
  const found = choices.find((c) => c === raw);
  return found
    ? { ok: true, value: found }
    : { ok: false, message: `expected one of ${choices.join(", ")}` };
}

function parseBool(raw: string): Parsed<boolean> {
  if (raw === "1" || raw === "true") return { ok: true, value: true };
  if (raw === "0" || raw === "false") return { ok: true, value: false };
  return { ok: false, message: "expected 0 or 1" };
}

function parseFeatures(raw: string): Parsed<FeatureId[]> {
  const names = raw === "" ? [] : raw.split(",");
  const out: FeatureId[] = [];
  const notes: string[] = [];
  for (const name of names) {
    if (!isFeatureId(name)) notes.push(`unknown feature "${name}"`);
    else if (out.includes(name)) notes.push(`"${name}" repeated`);
    else out.push(name);
  }
  if (out.length === 0)
    return { ok: false, message: `no known feature (${FEATURE_IDS.join(", ")})` };
  return notes.length ? { ok: true, value: out, note: notes.join("; ") } : { ok: true, value: out };
}

function parseLayers(raw: string): Parsed<number[]> {
  const items = raw === "" ? [] : raw.split(",");
  const out: number[] = [];
  const notes: string[] = [];
  for (const item of items) {
    const n = parseNumber(item, LIMITS.neurons.min, LIMITS.neurons.max, true);
    if (!n.ok) return { ok: false, message: `layer size "${item}": ${n.message}` };
    if (n.note) notes.push(`layer size ${n.note}`);
    out.push(n.value);
  }
  if (out.length > LIMITS.layers.max) {
    notes.push(`more than ${LIMITS.layers.max} hidden layers: kept the first ${LIMITS.layers.max}`);
    out.length = LIMITS.layers.max;
  }
  return notes.length ? { ok: true, value: out, note: notes.join("; ") } : { ok: true, value: out };
}

function parseSeed(raw: string): Parsed<string> {
  if (raw.length === 0 || raw.length > LIMITS.seedLength || !SEED_PATTERN.test(raw)) {
    return {
      ok: false,
      message: `expected 1–${LIMITS.seedLength} characters from A–Z a–z 0–9 . _ -`,
    };
  }
  return { ok: true, value: raw };
}

/** Writes one parsed value into the state; the switch keeps each key paired with its own type. */
function parseInto(state: PlaygroundState, key: Key, raw: string): Parsed<unknown> {
  const set = <T>(p: Parsed<T>, apply: (v: T) => void): Parsed<T> => {
    if (p.ok) apply(p.value);
    return p;
  };
  switch (key) {
    case "dataset":
      return set(parseChoice(raw, DATASET_IDS), (v) => (state.dataset = v));
    case "problem":
      return set(
        parseChoice(raw, ["c", "r"] as const),
        (v) => (state.problem = v === "c" ? "classification" : "regression"),
      );
    case "noise":
      return set(
        parseNumber(raw, LIMITS.noise.min, LIMITS.noise.max, true),
        (v) => (state.noise = v),
      );
    case "trainRatio":
      return set(
        parseNumber(raw, LIMITS.trainRatio.min, LIMITS.trainRatio.max, true),
        (v) => (state.trainRatio = v),
      );
    case "batchSize":
      return set(
        parseNumber(raw, LIMITS.batchSize.min, LIMITS.batchSize.max, true),
        (v) => (state.batchSize = v),
      );
    case "learningRate":
      return set(
        parseNumber(raw, LIMITS.learningRate.min, LIMITS.learningRate.max, false),
        (v) => (state.learningRate = v),
      );
    case "regularizationRate":
      return set(
        parseNumber(raw, LIMITS.regularizationRate.min, LIMITS.regularizationRate.max, false),
        (v) => (state.regularizationRate = v),
      );
    case "activation":
      return set(parseChoice(raw, ACTIVATIONS), (v) => (state.activation = v));
    case "regularization":
      return set(parseChoice(raw, REGULARIZATIONS), (v) => (state.regularization = v));
    case "features":
      return set(parseFeatures(raw), (v) => (state.features = v));
    case "hiddenLayers":
      return set(parseLayers(raw), (v) => (state.hiddenLayers = v));
    case "seed":
      return set(parseSeed(raw), (v) => (state.seed = v));
    case "showTestData":
      return set(parseBool(raw), (v) => (state.showTestData = v));
    case "discretize":
      return set(parseBool(raw), (v) => (state.discretize = v));
  }
}

/**
 * Reads a state from a URL hash or query (`#…`, `?…` or bare). Never throws: a value that cannot
 * be read keeps its default, one out of range is clamped, and each is reported in `problems`.
 */
export function decodeState(text: string): { state: PlaygroundState; problems: StateProblem[] } {
  const state = defaultState();
  const problems: StateProblem[] = [];
  const body = text.replace(/^[#?]/, "");
  const seen = new Set<Key>();
  for (const part of body === "" ? [] : body.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    let value = eq < 0 ? "" : part.slice(eq + 1);
    const key = LONG.get(rawKey);
    try {
      value = decodeURIComponent(value.replace(/\+/g, " "));
    } catch {
      problems.push({ key: key ?? rawKey, value, message: "malformed %-escape" });
      continue;
    }
    if (!key) {
      problems.push({ key: rawKey, value, message: "unknown key" });
      continue;
    }
    if (seen.has(key))
      problems.push({ key, value, message: "given more than once: the last one counts" });
    seen.add(key);
    const parsed = parseInto(state, key, value);
    if (!parsed.ok)
      problems.push({ key, value, message: `${parsed.message}: kept ${encodeValue(key, state)}` });
    else if (parsed.note) problems.push({ key, value, message: parsed.note });
  }
  // The data set decides the problem type: a link may leave `p` out.
  const implied = DATASETS[state.dataset].problem;
  if (implied !== state.problem) {
    if (seen.has("problem")) {
      problems.push({
        key: "problem",
        value: PROBLEM_CODE[state.problem],
        message: `${state.dataset} is a ${implied} data set: used ${implied}`,
      });
    }
    state.problem = implied;
  }
  return { state, problems };
}
