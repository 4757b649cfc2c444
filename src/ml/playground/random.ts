/**
 * A small seeded random number generator, so that a data set, a train/test split and a
 * network's initial weights are the same for the same seed on every machine (a link in the
 * URL reproduces a run). mulberry32: 32 bits of state, plenty for a few thousand draws.
 */

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform in [min, max) */
  uniform(min: number, max: number): number;
  /** an integer in [0, n) */
  int(n: number): number;
  /** normally distributed (Box–Muller; the second value of each pair is kept for the next call) */
  normal(mean?: number, std?: number): number;
  /** a shuffled copy (Fisher–Yates); the input is left alone */
  shuffle<T>(items: readonly T[]): T[];
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  let spare: number | undefined;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (n) => Math.floor(next() * n),
    normal(mean = 0, std = 1) {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return mean + std * z;
      }
      // 1 - next() lies in (0, 1], so the logarithm stays finite
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spare = radius * Math.sin(angle);
      return mean + std * radius * Math.cos(angle);
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i] as T;
        out[i] = out[j] as T;
        out[j] = tmp;
      }
      return out;
    },
  };
}

/** A 32-bit seed from any string (FNV-1a, then a final avalanche so near strings differ widely). */
export function seedFromString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * An independent stream for one use of a seed ("data", "split", "weights"), so that changing
 * how many numbers one use draws never shifts another (new noise keeps the same initial weights).
 */
export function rngFor(seed: string, purpose: string): Rng {
  return createRng(seedFromString(`${purpose}:${seed}`));
}
