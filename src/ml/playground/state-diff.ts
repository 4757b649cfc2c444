/**
 * What a change of state means for a run in progress, the way the Playground treats it: new
 * points or inputs start a fresh run on new data, a new architecture starts a fresh network,
 * learning rate, batch size and regularization apply from the next step on, and the display
 * toggles do not concern training at all.
 */
import type { PlaygroundState } from "./config.ts";

export type ChangeKind = "data" | "network" | "hyper" | "view" | "none";

type Key = keyof PlaygroundState;

const KIND: Readonly<Record<Key, Exclude<ChangeKind, "none">>> = {
  dataset: "data",
  problem: "data",
  noise: "data",
  trainRatio: "data",
  seed: "data",
  features: "data",
  hiddenLayers: "network",
  activation: "network",
  batchSize: "hyper",
  learningRate: "hyper",
  regularization: "hyper",
  regularizationRate: "hyper",
  showTestData: "view",
  discretize: "view",
};

const ORDER: readonly ChangeKind[] = ["none", "view", "hyper", "network", "data"];

function same(a: PlaygroundState[Key], b: PlaygroundState[Key]): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/** The keys whose values differ. */
export function changedKeys(before: PlaygroundState, after: PlaygroundState): Key[] {
  return (Object.keys(KIND) as Key[]).filter((key) => !same(before[key], after[key]));
}

/** The most far-reaching kind of change between two states. */
export function classifyChange(before: PlaygroundState, after: PlaygroundState): ChangeKind {
  let kind: ChangeKind = "none";
  for (const key of changedKeys(before, after)) {
    const k = KIND[key];
    if (ORDER.indexOf(k) > ORDER.indexOf(kind)) kind = k;
  }
  return kind;
}
