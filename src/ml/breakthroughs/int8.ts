/**
 * 8-bit integer matrix products, the arithmetic of the TPU's matrix unit: inputs rounded to
 * symmetric int8 (q = round(x / s), s = max|x| / 127), products accumulated exactly in 32-bit
 * integers, the result scaled back by s_a · s_b. Plain loops, so the integer path is visible.
 */

export interface Int8Tensor {
  values: Int8Array;
  scale: number;
}

export function quantizeInt8(data: Float32Array): Int8Tensor {
  let top = 0;
  for (const x of data) {
    if (!Number.isFinite(x)) throw new RangeError(`value ${x} cannot be quantized`);
    top = Math.max(top, Math.abs(x));
  }
  const scale = top / 127 || 1;
  const values = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++) values[i] = Math.round(data[i]! / scale);
  return { values, scale };
}

/** [m, k] × [k, n] in int8, accumulated in int32 (exact: |sum| ≤ k · 127² fits for k < 133,000). */
export function matMulInt8(
  a: Int8Array,
  b: Int8Array,
  m: number,
  k: number,
  n: number,
): Int32Array {
  const c = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const row = p * n;
      const out = i * n;
      for (let j = 0; j < n; j++) c[out + j] = (c[out + j]! + aip * b[row + j]!) | 0;
    }
  }
  return c;
}

export function matMulFloat32(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      const row = p * n;
      const out = i * n;
      for (let j = 0; j < n; j++) c[out + j] = c[out + j]! + aip * b[row + j]!;
    }
  }
  return c;
}

export interface Int8Comparison {
  n: number;
  /** ‖C_int8 − C_float32‖ / ‖C_float32‖ (Frobenius) */
  relativeError: number;
  /** the largest |C_int8 − C_float32| against the largest |C_float32| */
  maxError: number;
  maxValue: number;
  float32Ms: number;
  int8Ms: number;
  /** bytes of the two inputs */
  float32Bytes: number;
  int8Bytes: number;
}

/** Two random n × n matrices (seeded normal values), multiplied both ways. */
export function compareInt8(n: number, seed = 1): Int8Comparison {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const normal = () => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  const a = Float32Array.from({ length: n * n }, normal);
  const b = Float32Array.from({ length: n * n }, normal);
  let started = performance.now();
  const exact = matMulFloat32(a, b, n, n, n);
  const float32Ms = performance.now() - started;
  started = performance.now();
  const qa = quantizeInt8(a);
  const qb = quantizeInt8(b);
  const integer = matMulInt8(qa.values, qb.values, n, n, n);
  const int8Ms = performance.now() - started;
  const s = qa.scale * qb.scale;
  let diff = 0;
  let norm = 0;
  let maxError = 0;
  let maxValue = 0;
  for (let i = 0; i < exact.length; i++) {
    const e = integer[i]! * s - exact[i]!;
    diff += e * e;
    norm += exact[i]! * exact[i]!;
    maxError = Math.max(maxError, Math.abs(e));
    maxValue = Math.max(maxValue, Math.abs(exact[i]!));
  }
  return {
    n,
    relativeError: Math.sqrt(diff / norm),
    maxError,
    maxValue,
    float32Ms,
    int8Ms,
    float32Bytes: 2 * n * n * 4,
    int8Bytes: 2 * n * n + 8,
  };
}

/**
 * The TPU's published figures and the energy of the arithmetic, with sources; what 8 bits buy.
 */
export const TPU_FACTS = [
  {
    what: "TPU (2015): peak 8-bit throughput",
    value: "92 TOPS",
    source:
      "N. P. Jouppi et al., In-Datacenter Performance Analysis of a Tensor Processing Unit, ISCA 2017",
  },
  {
    what: "TPU vs the server CPU (Haswell) and GPU (K80) of its time",
    value: "15–30× faster, 30–80× more TOPS per watt",
    source: "Jouppi et al., ISCA 2017",
  },
  {
    what: "energy of one multiply, 45 nm: 8-bit integer vs 32-bit float",
    value: "0.2 pJ vs 3.7 pJ (18×)",
    source: "M. Horowitz, Computing's Energy Problem (and what we can do about it), ISSCC 2014",
  },
  {
    what: "energy of one add, 45 nm: 8-bit integer vs 32-bit float",
    value: "0.03 pJ vs 0.9 pJ (30×)",
    source: "Horowitz, ISSCC 2014",
  },
] as const;
