/**
 * Colour and size maths for the playground's picture, with no DOM: a diverging scale from
 * orange (−1) through near-white (0) to blue (+1) as a lookup table for fast pixel writing, and
 * the width and colour of a weight's link.
 */

export const NEGATIVE = [245, 147, 34] as const; // #f59322
export const NEUTRAL = [232, 234, 235] as const; // #e8eaeb
export const POSITIVE = [8, 119, 189] as const; // #0877bd

export const LUT_SIZE = 256;

/** RGBA for values from −1 to +1 in LUT_SIZE steps, packed as little-endian 32-bit pixels. */
export function colorTable(): Uint32Array {
  const lut = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = colorOf(-1 + (2 * i) / (LUT_SIZE - 1));
    lut[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  return lut;
}

/** The colour of a value, clamped to [−1, 1]. */
export function colorOf(value: number): [number, number, number] {
  const v = Number.isFinite(value) ? Math.max(-1, Math.min(1, value)) : 0;
  const to = v < 0 ? NEGATIVE : POSITIVE;
  const t = Math.abs(v);
  return [0, 1, 2].map((c) =>
    Math.round((NEUTRAL[c] as number) + ((to[c] as number) - (NEUTRAL[c] as number)) * t),
  ) as [number, number, number];
}

/** The table index of a value: −1 → 0, +1 → LUT_SIZE − 1; discretized values go to either end. */
export function lutIndex(value: number, discretize: boolean): number {
  if (!Number.isFinite(value)) return (LUT_SIZE - 1) >> 1;
  const v = discretize ? (value >= 0 ? 1 : -1) : Math.max(-1, Math.min(1, value));
  return Math.round(((v + 1) / 2) * (LUT_SIZE - 1));
}

/**
 * Writes `values` (length = pixels.length) as pixels, each scaled by `scale` first (so a feature
 * ranging over ±6 can use the whole scale).
 */
export function paintValues(
  pixels: Uint32Array,
  values: ArrayLike<number>,
  lut: Uint32Array,
  discretize = false,
  scale = 1,
): void {
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = lut[lutIndex((values[i] as number) * scale, discretize)] as number;
  }
}

/** A link's stroke width for a weight: thin for small weights, at most `max` px. */
export function linkWidth(weight: number, max = 7): number {
  const w = Math.abs(Number.isFinite(weight) ? weight : 0);
  return Math.min(max, 0.6 + 2.2 * w);
}

/** A link's colour: blue for positive weights, orange for negative, paler when small. */
export function linkColor(weight: number): string {
  const [r, g, b] = colorOf(Math.sign(weight) * Math.min(1, 0.25 + Math.abs(weight)));
  return `rgb(${r},${g},${b})`;
}

/** Values on a thumbnail should fill the scale: 1 / the largest magnitude (1 when all zero). */
export function fitScale(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] as number));
  return max > 0 && Number.isFinite(max) ? 1 / max : 1;
}
