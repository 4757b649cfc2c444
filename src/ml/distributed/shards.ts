/**
 * Splitting the data among members: each rank owns a contiguous shard of the examples and draws
 * its mini-batches from it alone, so no two workers read the same example in a step. The batches
 * are a pure function of (seed, step, rank), which is what lets a test replay the same global
 * batches on one worker.
 */
import { uniform } from "./mlp.ts";

export interface Shard {
  start: number;
  end: number;
}

/** `count` examples cut into `parts` shards as equal as they can be. */
export function shards(count: number, parts: number): Shard[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`${parts} shards`);
  return Array.from({ length: parts }, (_, i) => ({
    start: Math.floor((i * count) / parts),
    end: Math.floor(((i + 1) * count) / parts),
  }));
}

/** The example indices one rank uses at one step: `size` draws from its shard. */
export function batchIndices(shard: Shard, step: number, size: number, seed = 1): Int32Array {
  const span = shard.end - shard.start;
  if (span < 1) throw new RangeError("an empty shard has no batches");
  const next = uniform((seed * 7919 + step * 104729 + shard.start * 31) >>> 0);
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = shard.start + Math.floor(next() * span);
  return out;
}
