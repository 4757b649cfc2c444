/**
 * How long one synchronous data-parallel step takes on n nodes, from what a step costs:
 *
 *   t(n) = serial + compute / min(n, processors) + communication(n)
 *
 * Communication of a gradient of B bytes at 32 bits, sent at `bits`:
 * - ring all-reduce: every node sends and receives 2(n−1)/n · B over its own link, in 2(n−1)
 *   hops, each paying the latency (Horovod, NCCL);
 * - parameter server (one): its link carries n gradients in and n parameter copies out, 2nB,
 *   in two rounds of latency (TensorFlow in 2016).
 * One node exchanges nothing. `processors` caps the parallel compute (nodes sharing cores).
 */
export type Topology = "allreduce" | "ps";

export interface CostParams {
  /** seconds of computation per step on one node */
  computeSeconds: number;
  /** bytes of gradient per step at 32 bits (4 × parameters) */
  bytesPerStep: number;
  /** bytes per second on each node's link */
  bandwidth: number;
  /** seconds per message */
  latency: number;
  nodes: number;
  bits: 32 | 16 | 8;
  topology: Topology;
  /** how many nodes can compute at once (default: all of them) */
  processors?: number;
  /** seconds per step that no node can share (default 0) */
  serialSeconds?: number;
}

export function communicationSeconds(p: CostParams): number {
  const n = p.nodes;
  if (n <= 1) return 0;
  const bytes = (p.bytesPerStep * p.bits) / 32;
  return p.topology === "allreduce"
    ? ((2 * (n - 1)) / n) * (bytes / p.bandwidth) + 2 * (n - 1) * p.latency
    : (2 * n * bytes) / p.bandwidth + 2 * p.latency;
}

export function stepSeconds(p: CostParams): number {
  const parallel = Math.max(1, Math.min(p.nodes, p.processors ?? Infinity));
  return (p.serialSeconds ?? 0) + p.computeSeconds / parallel + communicationSeconds(p);
}

export interface Scaling {
  nodes: number;
  stepSeconds: number;
  speedup: number;
  efficiency: number;
  /** fraction of the step spent communicating */
  communication: number;
}

export function scaling(p: CostParams): Scaling {
  const one = stepSeconds({ ...p, nodes: 1 });
  const t = stepSeconds(p);
  const speedup = one / t;
  return {
    nodes: p.nodes,
    stepSeconds: t,
    speedup,
    efficiency: speedup / p.nodes,
    communication: communicationSeconds(p) / t,
  };
}

/** The keynote's figures: 8.3 hours on 1 node, 32 minutes on 20. */
export const TALK = { singleHours: 8.3, nodes: 20, parallelMinutes: 32 } as const;
export const TALK_SPEEDUP = (TALK.singleHours * 60) / TALK.parallelMinutes;

/**
 * The compute per step at which `p` (all else fixed) reaches `speedup` on `p.nodes` nodes:
 * solving c / (c/n + comm) = s for c gives c = s · comm / (1 − s/n). Needs s < n.
 */
export function solveCompute(p: Omit<CostParams, "computeSeconds">, speedup: number): number {
  const n = Math.min(p.nodes, p.processors ?? Infinity);
  if (speedup >= n) throw new Error(`a speed-up of ${speedup} needs more than ${n} nodes`);
  const comm = communicationSeconds({ ...p, computeSeconds: 0 }) + (p.serialSeconds ?? 0);
  return (speedup * comm) / (1 - speedup / n);
}

/**
 * A 2016 cluster that gives the keynote's speed-up: a 5-million-parameter model (20 MB of
 * gradient), 10 Gb/s Ethernet, 50 µs per message, ring all-reduce at 32 bits; the compute per
 * step is what makes 20 nodes 15.6× faster (about 2.3 s, rounded to 10 ms for the sliders).
 */
export function talkPreset(): CostParams {
  const base = {
    bytesPerStep: 20e6,
    bandwidth: 1.25e9,
    latency: 50e-6,
    nodes: TALK.nodes,
    bits: 32 as const,
    topology: "allreduce" as const,
  };
  const computeSeconds = Math.round(solveCompute(base, TALK_SPEEDUP) * 100) / 100;
  return { ...base, computeSeconds };
}

/** Wall-clock hours for a job of `steps` steps under `p`. */
export function jobHours(p: CostParams, steps: number): number {
  return (steps * stepSeconds(p)) / 3600;
}

/** How many steps the keynote's 8.3-hour single-node job had under `p`'s compute. */
export function talkSteps(p: CostParams): number {
  return (TALK.singleHours * 3600) / stepSeconds({ ...p, nodes: 1 });
}

/** A measured point: `nodes` workers took `stepSeconds` per step of the same global batch. */
export interface Measured {
  nodes: number;
  stepSeconds: number;
}

/**
 * The cost model of this machine. Measured independently: the one-worker step, and the
 * page↔worker link's bandwidth and latency (a ping). Fitted, by least squares over the
 * measured steps: one number, the part of a step no worker shares (Amdahl's serial part: the
 * page summing gradients, message handling, other programs on the same cores). With two
 * measured points the fit is exact; with more, `worstError` says how well one number explains
 * them all.
 */
export function machineModel(options: {
  measured: readonly Measured[];
  bytesPerStep: number;
  bandwidth: number;
  latency: number;
  processors: number;
}): CostParams {
  const one = options.measured.find((m) => m.nodes === 1);
  if (!one) throw new Error("the machine model needs a one-worker measurement");
  const base: CostParams = {
    computeSeconds: one.stepSeconds,
    bytesPerStep: options.bytesPerStep,
    bandwidth: options.bandwidth,
    latency: options.latency,
    nodes: 1,
    bits: 32,
    topology: "ps",
    processors: options.processors,
  };
  // t(n) = s + (t1 − s) / m + comm(n), m = min(n, P): linear in s with slope 1 − 1/m
  let num = 0;
  let den = 0;
  for (const m of options.measured) {
    const share = 1 / Math.max(1, Math.min(m.nodes, options.processors));
    const a = 1 - share;
    const r =
      m.stepSeconds - one.stepSeconds * share - communicationSeconds({ ...base, nodes: m.nodes });
    num += a * r;
    den += a * a;
  }
  const serial = den > 0 ? Math.min(one.stepSeconds, Math.max(0, num / den)) : 0;
  return { ...base, computeSeconds: one.stepSeconds - serial, serialSeconds: serial };
}

/** The largest relative error of `p`'s predicted step times against `points`. */
export function worstError(p: CostParams, points: readonly Measured[]): number {
  return Math.max(
    0,
    ...points.map((m) => Math.abs(stepSeconds({ ...p, nodes: m.nodes }) / m.stepSeconds - 1)),
  );
}

/**
 * The three ways TensorFlow's runtime moves a tensor (slide 29), as bandwidth and latency:
 * round figures for 2016 hardware, to compare orders of magnitude, not to benchmark.
 */
export const LINKS = [
  { id: "local", name: "local (same machine, PCIe)", bandwidth: 12e9, latency: 5e-6 },
  { id: "rpc", name: "RPC (gRPC over 10 Gb/s Ethernet)", bandwidth: 1.25e9, latency: 50e-6 },
  { id: "rdma", name: "RDMA (100 Gb/s InfiniBand)", bandwidth: 12.5e9, latency: 2e-6 },
] as const;
