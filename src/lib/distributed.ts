/**
 * `flowdeck/distributed`: data-parallel training of an MNIST network on Web Workers (parameter
 * server or ring all-reduce, synchronous or asynchronous), its pure core, and the demo widget.
 */
import { PersistentCheckpoints } from "../ml/distributed/persistent-checkpoints.ts";
import { HostedCluster } from "../ml/distributed/hosted-cluster.ts";
import { startCoordinatorWorker, startMemberWorker } from "../ml/distributed/worker-link.ts";
import { DistributedDemo, RunLog } from "../ui/distributed/demo.ts";

export * from "../ml/distributed/aggregate.ts";
export * from "../ml/distributed/cluster.ts";
export * from "../ml/distributed/coordinator.ts";
export * from "../ml/distributed/hosted-cluster.ts";
export * from "../ml/distributed/mlp.ts";
export * from "../ml/distributed/persistent-checkpoints.ts";
export * from "../ml/distributed/shards.ts";
export * from "../ml/distributed/wire.ts";
export {
  liveCoordinatorWorkers,
  liveMemberWorkers,
  startCoordinatorWorker,
  startMemberWorker,
} from "../ml/distributed/worker-link.ts";
export { DistributedDemo, RunLog, examplesPerSecond } from "../ui/distributed/demo.ts";

/** MNIST's test set, the copy the site ships: every member loads all of it and uses its shard. */
export const MNIST_EXAMPLES = 10_000;

/**
 * The page's checkpoints and runs: they outlive the cells (a slide left and shown again); the
 * checkpoints outlive the page too, in IndexedDB where the browser keeps it.
 */
let checkpoints: Promise<PersistentCheckpoints> | undefined;
export const runs = new RunLog();

export function checkpointStore(): Promise<PersistentCheckpoints> {
  return (checkpoints ??= PersistentCheckpoints.open());
}

/** Workers in a first run: one per core the browser reports, at most 4 (and 1–8 by hand). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency || 2));
}

export interface CreateDemoOptions {
  /** the site's base URL, where data/mnist/ is (a cell passes document.baseURI) */
  base: string;
  width: number;
}

/** The demo; a page that was reloaded mid-run resumes that run from its last checkpoint. */
export async function createDemo({ base, width }: CreateDemoOptions): Promise<DistributedDemo> {
  const store = await checkpointStore();
  const saved = runs.runs.length === 0 ? store.latest() : undefined;
  if (saved) runs.resume(saved.key, saved.config, true);
  return new DistributedDemo({
    width,
    spawn: () => startMemberWorker(base, "wasm"),
    examples: MNIST_EXAMPLES,
    store,
    log: runs,
    defaultWorkers: defaultWorkers(),
    // the coordinator in a worker of its own: a training step never waits for the page to draw
    // and, in synchronous ring mode, the members reduce among themselves (ring-member.ts)
    cluster: (options) =>
      new HostedCluster({
        ...options,
        config: { ...options.config, direct: true },
        host: () => startCoordinatorWorker(),
      }),
  });
}
