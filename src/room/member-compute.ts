/**
 * What a member device computes, behind one interface: given the parameters and its shard,
 * return a gradient. Phase 1 fills it with the linear stand-in below (plain typed arrays, no
 * TensorFlow.js); the distributed-training code fills it with its network, loaded only when the
 * member starts computing, so the join page stays light until the tap.
 */
import {
  linearGradient,
  shardData,
  type GradientResult,
  type LinearData,
  type LinearShard,
} from "./linear-task.ts";

export type { GradientResult };

export interface MemberCompute<Shard = LinearShard> {
  /** what computes, as the join page and the roster show it ("js", "webgl", "wasm", …) */
  readonly backend: string;
  gradient(params: Float32Array, shard: Shard, signal?: AbortSignal): Promise<GradientResult>;
  dispose(): void;
}

/** The linear stand-in: generates its shard once, then one gradient per call. */
export function linearCompute(): MemberCompute<LinearShard> {
  let cached: { key: string; data: LinearData } | undefined;
  return {
    backend: "js",
    async gradient(params, shard, signal) {
      signal?.throwIfAborted();
      const key = JSON.stringify(shard);
      if (cached?.key !== key) cached = { key, data: shardData(shard) };
      return linearGradient(params, cached.data);
    },
    dispose() {
      cached = undefined;
    },
  };
}
