/**
 * The ranks a synchronous run under "wait" is waiting for, carried through checkpoints: a pause
 * or a slide left ends every worker, and the cluster that resumes must not start the dead ones
 * again as if they had never crashed, nor go on without them.
 */
import type { Checkpoint, TrainingConfig } from "./coordinator.ts";

/**
 * Under "wait", a rank whose worker was killed and not restarted is one the run waits for, timed
 * out yet or not: the checkpoint says so, and a resumed cluster leaves that rank dead (starting
 * it would forget the crash the run was waiting out). A rank the coordinator awaits whose worker
 * lives (restarted, still starting) is not: a resumed cluster starts it, and waits for it.
 */
export function withAwaited(
  config: TrainingConfig,
  checkpoint: Checkpoint,
  alive: (rank: number) => boolean,
): Checkpoint {
  if (config.onTimeout !== "wait") return checkpoint;
  const dead = Array.from({ length: config.workers }, (_, rank) => rank).filter((r) => !alive(r));
  const { awaiting: _, ...rest } = checkpoint;
  return dead.length > 0 ? { ...rest, awaiting: dead } : rest;
}

/** The ranks a cluster resumed from `checkpoint` starts workers for. */
export function ranksToStart(config: TrainingConfig, checkpoint: Checkpoint): number[] {
  const awaited = new Set(config.onTimeout === "wait" ? (checkpoint.awaiting ?? []) : []);
  return Array.from({ length: config.workers }, (_, rank) => rank).filter((r) => !awaited.has(r));
}
