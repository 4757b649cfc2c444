/** Synthetic 28×28 "digits": class k lights up row block k, plus seeded noise; learnable in a few steps. */
import type { Examples } from "../../../src/ml/distributed/member.ts";

export function syntheticDigits(count: number, seed = 3): Examples {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const pixels = new Float32Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % 10;
    labels[i] = k;
    for (let p = 0; p < 784; p++) {
      const row = Math.floor(p / 28);
      pixels[i * 784 + p] = (Math.floor(row / 2.8) === k ? 0.8 : 0) + 0.2 * rand();
    }
  }
  return { count, pixels, labels };
}
