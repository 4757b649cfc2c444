/**
 * The latency and bandwidth of a message link between two threads (the page and a worker), as
 * the cost model means them: what the link itself costs, not what a thread it waits for is busy
 * with. A single round trip timed on a page that is drawing other slides waits behind their
 * tasks (tens of ms, where postMessage takes tens of µs), and the first ones include the
 * worker's start-up. So the probe
 * - warms up first (untimed round trips of both sizes);
 * - times groups of back-to-back round trips, each group started when the page is idle (the
 *   browser's clock is coarsened to 0.1 ms, longer than one round trip: a group divides that);
 * - takes the median over the groups, so a group that a long task still hit does not count.
 */

/** Sends `payload` to the far side and resolves when it has come back. */
export type Echo = (payload: ArrayBuffer) => Promise<void>;

export interface ProbeOptions {
  /** untimed round trips of each size first (default 8) */
  warmup?: number;
  /** timed groups (default 9) */
  groups?: number;
  /** round trips of the small message per group (default 16; the large one: a quarter) */
  perGroup?: number;
  /** resolves when the caller's thread is idle (default: a macrotask) */
  idle?: () => Promise<void>;
  /** ms (default performance.now) */
  clock?: () => number;
}

export interface LinkProbe {
  /** seconds, one way */
  latency: number;
  /** bytes per second */
  bandwidth: number;
  /** the groups' round trips, ms each: small and large message */
  smallMs: number[];
  largeMs: number[];
}

export function medianOf(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** In a page: the next idle period (at most `timeoutMs` away, for a page that is never idle). */
export function pageIdle(timeoutMs = 500): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (typeof requestIdleCallback === "function") {
        requestIdleCallback(() => resolve(), { timeout: timeoutMs });
      } else setTimeout(resolve, 0);
    });
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Measures the link behind `echo` with an empty message (8 B) and one of `bytes`. */
export async function probeLink(
  echo: Echo,
  bytes: number,
  options: ProbeOptions = {},
): Promise<LinkProbe> {
  const warmup = options.warmup ?? 8;
  const groups = options.groups ?? 9;
  const perGroup = options.perGroup ?? 16;
  const idle = options.idle ?? macrotask;
  const clock = options.clock ?? (() => performance.now());
  const small = () => new ArrayBuffer(8);
  const large = () => new Uint8Array(bytes).fill(1).buffer;
  for (let i = 0; i < warmup; i++) {
    await echo(small());
    await echo(large());
  }
  const timeGroup = async (make: () => ArrayBuffer, count: number) => {
    const payloads = Array.from({ length: count }, make); // made before the clock starts
    await idle();
    const t0 = clock();
    for (const payload of payloads) await echo(payload);
    return (clock() - t0) / count;
  };
  const smallMs: number[] = [];
  const largeMs: number[] = [];
  const largePerGroup = Math.max(1, Math.round(perGroup / 4));
  for (let g = 0; g < groups; g++) {
    smallMs.push(await timeGroup(small, perGroup));
    largeMs.push(await timeGroup(large, largePerGroup));
  }
  const rttSmall = medianOf(smallMs) / 1000;
  const rttLarge = medianOf(largeMs) / 1000;
  return {
    latency: rttSmall / 2,
    // the large message crosses twice; what it takes beyond the empty one is its bytes
    bandwidth: (2 * bytes) / Math.max(1e-7, rttLarge - rttSmall),
    smallMs,
    largeMs,
  };
}
