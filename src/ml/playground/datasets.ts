/**
 * The playground's data sets: points in the square [-6, 6]², labelled ±1 for classification or
 * with a real target in [-1, 1] for regression. Noise (0–50 %) displaces the points; the label
 * stays the one of the shape the point was drawn from, so noise shows up as points on the wrong
 * side of the boundary. Every generator draws only from the random stream it is given.
 */
import { rngFor, type Rng } from "./random.ts";

export const DOMAIN = 6;

export type Problem = "classification" | "regression";
export const CLASSIFICATION_DATASETS = ["circle", "xor", "gauss", "spiral"] as const;
export const REGRESSION_DATASETS = ["plane", "multigauss"] as const;
export type ClassificationDataset = (typeof CLASSIFICATION_DATASETS)[number];
export type RegressionDataset = (typeof REGRESSION_DATASETS)[number];
export type DatasetId = ClassificationDataset | RegressionDataset;
export const DATASET_IDS: readonly DatasetId[] = [
  ...CLASSIFICATION_DATASETS,
  ...REGRESSION_DATASETS,
];

export interface Point {
  x: number;
  y: number;
  /** ±1 for classification, in [-1, 1] for regression */
  label: number;
}

export interface DatasetOptions {
  /** default: 500 for classification, 1200 for regression (more points to show a surface) */
  numPoints?: number;
  /** 0–50, in percent */
  noise?: number;
  seed?: string;
}

type Generator = (numPoints: number, noise: number, rng: Rng) => Point[];

export interface DatasetInfo {
  id: DatasetId;
  label: string;
  problem: Problem;
  defaultPoints: number;
  /** noise as a fraction (0–0.5) */
  generate: Generator;
}

const clampToDomain = (v: number): number => Math.max(-DOMAIN, Math.min(DOMAIN, v));
const clamp1 = (v: number): number => Math.max(-1, Math.min(1, v));

/** Moves a point by up to `noise * scale` in each coordinate, keeping it inside the square. */
function jitter(rng: Rng, noise: number, scale: number, x: number, y: number): [number, number] {
  const dx = rng.uniform(-1, 1) * noise * scale;
  const dy = rng.uniform(-1, 1) * noise * scale;
  return [clampToDomain(x + dx), clampToDomain(y + dy)];
}

/** A disc (+1) inside a ring (−1), with a gap between them that noise fills. */
const circle: Generator = (numPoints, noise, rng) => {
  const points: Point[] = [];
  const inner = Math.ceil(numPoints / 2);
  for (let i = 0; i < numPoints; i++) {
    const positive = i < inner;
    const r = positive ? rng.uniform(0, 2.5) : rng.uniform(3.5, 5);
    const angle = rng.uniform(0, 2 * Math.PI);
    const [x, y] = jitter(rng, noise, 5, r * Math.cos(angle), r * Math.sin(angle));
    points.push({ x, y, label: positive ? 1 : -1 });
  }
  return points;
};

/** Quadrants: +1 where x and y share a sign. Points keep a small margin from the axes. */
const xor: Generator = (numPoints, noise, rng) => {
  const margin = 0.3;
  const away = (v: number): number => (v >= 0 ? v + margin : v - margin);
  const points: Point[] = [];
  const half = Math.ceil(numPoints / 2);
  for (let i = 0; i < numPoints; i++) {
    const positive = i < half;
    const sx = rng.next() < 0.5 ? -1 : 1;
    const sy = positive ? sx : -sx;
    const x0 = sx * away(rng.uniform(0, 5 - margin));
    const y0 = sy * away(rng.uniform(0, 5 - margin));
    const [x, y] = jitter(rng, noise, 5, x0, y0);
    points.push({ x, y, label: positive ? 1 : -1 });
  }
  return points;
};

/** Two round Gaussian clouds at (2, 2) (+1) and (−2, −2) (−1); noise widens them. */
const gauss: Generator = (numPoints, noise, rng) => {
  const std = 0.5 + 5 * noise;
  const points: Point[] = [];
  const half = Math.ceil(numPoints / 2);
  for (let i = 0; i < numPoints; i++) {
    const positive = i < half;
    const c = positive ? 2 : -2;
    const x = clampToDomain(rng.normal(c, std));
    const y = clampToDomain(rng.normal(c, std));
    points.push({ x, y, label: positive ? 1 : -1 });
  }
  return points;
};

/** Two interleaved arms of a spiral, evenly spaced along each arm, 1¾ turns out to radius 5. */
const spiral: Generator = (numPoints, noise, rng) => {
  const points: Point[] = [];
  const perArm = [Math.ceil(numPoints / 2), Math.floor(numPoints / 2)];
  perArm.forEach((count, arm) => {
    for (let i = 0; i < count; i++) {
      const t = count > 1 ? i / count : 0;
      const r = 5 * t;
      const angle = 1.75 * 2 * Math.PI * t + arm * Math.PI;
      const [x, y] = jitter(rng, noise, 2, r * Math.sin(angle), r * Math.cos(angle));
      points.push({ x, y, label: arm === 0 ? 1 : -1 });
    }
  });
  return points;
};

/** A tilted plane: target (x + y) / 12, from −1 in one corner to +1 in the other. */
const plane: Generator = (numPoints, noise, rng) => {
  const points: Point[] = [];
  for (let i = 0; i < numPoints; i++) {
    const x0 = rng.uniform(-DOMAIN, DOMAIN);
    const y0 = rng.uniform(-DOMAIN, DOMAIN);
    const [x, y] = jitter(rng, noise, DOMAIN, x0, y0);
    points.push({ x, y, label: clamp1((x0 + y0) / (2 * DOMAIN)) });
  }
  return points;
};

/** Six Gaussian bumps of alternating sign on a 3 × 2 grid; the target is their sum, clamped. */
const BUMPS: ReadonlyArray<readonly [number, number, number]> = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];
const BUMP_STD = 1.6;

export function multigaussTarget(x: number, y: number): number {
  let sum = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const d2 = (x - cx) ** 2 + (y - cy) ** 2;
    sum += sign * Math.exp(-d2 / (2 * BUMP_STD * BUMP_STD));
  }
  return clamp1(sum);
}

const multigauss: Generator = (numPoints, noise, rng) => {
  const points: Point[] = [];
  for (let i = 0; i < numPoints; i++) {
    const x0 = rng.uniform(-DOMAIN, DOMAIN);
    const y0 = rng.uniform(-DOMAIN, DOMAIN);
    const [x, y] = jitter(rng, noise, DOMAIN, x0, y0);
    points.push({ x, y, label: multigaussTarget(x0, y0) });
  }
  return points;
};

export const DATASETS: Readonly<Record<DatasetId, DatasetInfo>> = {
  circle: {
    id: "circle",
    label: "Circle",
    problem: "classification",
    defaultPoints: 500,
    generate: circle,
  },
  xor: {
    id: "xor",
    label: "Exclusive or",
    problem: "classification",
    defaultPoints: 500,
    generate: xor,
  },
  gauss: {
    id: "gauss",
    label: "Two Gaussians",
    problem: "classification",
    defaultPoints: 500,
    generate: gauss,
  },
  spiral: {
    id: "spiral",
    label: "Spiral",
    problem: "classification",
    defaultPoints: 500,
    generate: spiral,
  },
  plane: {
    id: "plane",
    label: "Plane",
    problem: "regression",
    defaultPoints: 1200,
    generate: plane,
  },
  multigauss: {
    id: "multigauss",
    label: "Multi-Gaussian",
    problem: "regression",
    defaultPoints: 1200,
    generate: multigauss,
  },
};

export function isDatasetId(value: string): value is DatasetId {
  return (DATASET_IDS as readonly string[]).includes(value);
}

export function datasetsFor(problem: Problem): readonly DatasetId[] {
  return problem === "classification" ? CLASSIFICATION_DATASETS : REGRESSION_DATASETS;
}

/** Generates a data set; the same id, size, noise and seed always give the same points. */
export function generateDataset(id: DatasetId, options: DatasetOptions = {}): Point[] {
  const info = DATASETS[id];
  const numPoints = Math.max(0, Math.floor(options.numPoints ?? info.defaultPoints));
  const noise = Math.max(0, Math.min(50, options.noise ?? 0)) / 100;
  return info.generate(numPoints, noise, rngFor(options.seed ?? "", `data:${id}`));
}

/**
 * Shuffles (seeded) and splits: the first floor(n · ratio / 100) points train, the rest test.
 * The shuffle also fixes the order in which training visits the points.
 */
export function splitTrainTest<T>(
  points: readonly T[],
  ratioPercent: number,
  seed: string,
): { train: T[]; test: T[] } {
  const shuffled = rngFor(seed, "split").shuffle(points);
  const ratio = Math.max(0, Math.min(100, ratioPercent));
  const cut = Math.floor((shuffled.length * ratio) / 100);
  return { train: shuffled.slice(0, cut), test: shuffled.slice(cut) };
}
