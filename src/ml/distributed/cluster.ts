/**
 * A training run on members the page starts itself: spawns one member per rank, hands their
 * links to a Coordinator, and breaks things on request (a straggler, a silent crash, a restart).
 * The parameters are checkpointed to a store every second and when the cluster is disposed, so
 * a run resumes where it was when its slide is shown again (and, with PersistentCheckpoints,
 * after a reload).
 */
import type { Traffic } from "./aggregate.ts";
import {
  Coordinator,
  type Activity,
  type Breakdown,
  type Checkpoint,
  type MemberState,
  type StepRecord,
  type TrainingConfig,
} from "./coordinator.ts";
import { ranksToStart, withAwaited } from "./awaited-ranks.ts";
import { initialParameters } from "./mlp.ts";
import type { Link } from "./transport.ts";

export interface SpawnedMember {
  link: Link;
  kill(): void;
  dispose(): void;
  /**
   * Moves the member's messages to a MessagePort of their own and returns its other end, for a
   * coordinator in another worker (`link` then carries nothing). Where missing, the member can
   * only be reached through `link`.
   */
  connect?(): MessagePort;
}

/** What a demo reads of a run's coordinator, wherever the coordinator runs. */
export interface CoordinatorView {
  readonly members: MemberState[];
  readonly activity: readonly Activity[];
  readonly traffic: Traffic;
  readonly discarded: number;
  breakdown(): Breakdown;
}

/** A training run on members the page started: in-page (Cluster) or hosted in a worker. */
export interface TrainingCluster {
  readonly coordinator: CoordinatorView;
  readonly workers: number;
  readonly resumedAt: number;
  /** trains until disposed */
  run(): Promise<void>;
  isAlive(rank: number): boolean;
  slowdown(rank: number): number;
  setSlowdown(rank: number, factor: number): void;
  kill(rank: number): void;
  restart(rank: number): void;
  save(): void;
  dispose(): void;
}

export interface CheckpointStore {
  load(key: string): Checkpoint | undefined;
  /** `config`: the run's settings, for a store that resumes runs after a reload */
  save(key: string, checkpoint: Checkpoint, config?: TrainingConfig): void;
  delete(key: string): void;
  /** why checkpoints are not kept as the store means to (e.g. memory only), or "" */
  readonly problem?: string;
}

/** Checkpoints in memory: they live as long as the page (a reload starts afresh). */
export class MemoryCheckpoints implements CheckpointStore {
  readonly #saved = new Map<string, Checkpoint>();
  load(key: string): Checkpoint | undefined {
    const c = this.#saved.get(key);
    return c && { ...c, params: c.params.slice(), draws: [...c.draws], ...copyAwaiting(c) };
  }
  save(key: string, checkpoint: Checkpoint): void {
    this.#saved.set(key, {
      ...checkpoint,
      params: checkpoint.params.slice(),
      draws: [...checkpoint.draws],
      ...copyAwaiting(checkpoint),
    });
  }
  delete(key: string): void {
    this.#saved.delete(key);
  }
}

function copyAwaiting(c: Checkpoint): Pick<Checkpoint, "awaiting"> {
  return c.awaiting ? { awaiting: [...c.awaiting] } : {};
}

export interface ClusterOptions {
  config: TrainingConfig;
  /** examples in each member's data set */
  examples: number;
  spawn: (rank: number) => SpawnedMember;
  store: CheckpointStore;
  /** the checkpoint's key: one per run */
  key: string;
  /** where the run's history is kept (it outlives the cluster, for comparisons) */
  history: StepRecord[];
  seed?: number;
}

export class Cluster implements TrainingCluster {
  readonly coordinator: Coordinator;
  readonly #options: ClusterOptions;
  readonly #members: Array<SpawnedMember | undefined> = [];
  readonly #slowdown: number[];
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setInterval>;
  /** resumed from a checkpoint at this step (0 for a fresh run) */
  readonly resumedAt: number;
  #disposed = false;
  /** ranks killed and not restarted since (a dispose ends the others, not as a crash) */
  readonly #killed = new Set<number>();

  constructor(options: ClusterOptions) {
    this.#options = options;
    const saved = options.store.load(options.key);
    const start: Checkpoint = saved ?? {
      params: initialParameters(options.seed ?? 1),
      step: 0,
      elapsed: 0,
      examples: 0,
      draws: [],
    };
    this.resumedAt = start.step;
    this.coordinator = new Coordinator(options.config, options.examples, start, options.seed ?? 1);
    this.coordinator.history = options.history;
    this.#slowdown = new Array<number>(options.config.workers).fill(1);
    const starting = ranksToStart(options.config, start);
    for (let rank = 0; rank < options.config.workers; rank++) {
      if (starting.includes(rank)) this.restart(rank);
      else this.#killed.add(rank); // dead when the run was saved: still dead
    }
    this.#timer = setInterval(() => this.save(), 1000);
  }

  get workers(): number {
    return this.#options.config.workers;
  }

  /** Trains until disposed. */
  run(): Promise<void> {
    return this.coordinator.run(this.#controller.signal);
  }

  isAlive(rank: number): boolean {
    return this.#members[rank] !== undefined;
  }

  slowdown(rank: number): number {
    return this.#slowdown[rank] ?? 1;
  }

  setSlowdown(rank: number, factor: number): void {
    this.#slowdown[rank] = factor;
    this.coordinator.setSlowdown(rank, factor);
  }

  /** A silent crash: the worker is terminated and the coordinator is not told. */
  kill(rank: number): void {
    this.#members[rank]?.kill();
    this.#members[rank] = undefined;
    this.#killed.add(rank);
  }

  /** A new member for `rank`; it gets the current parameters with its first step. */
  restart(rank: number): void {
    if (this.#disposed) return;
    this.#killed.delete(rank);
    this.#members[rank]?.dispose();
    const member = this.#options.spawn(rank);
    this.#members[rank] = member;
    this.coordinator.attach(rank, member.link, this.#slowdown[rank]);
  }

  save(): void {
    const { config, key, store } = this.#options;
    const checkpoint = withAwaited(
      config,
      this.coordinator.checkpoint(),
      (r) => !this.#killed.has(r),
    );
    store.save(key, checkpoint, config);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#controller.abort();
    clearInterval(this.#timer);
    this.save();
    for (const member of this.#members) member?.dispose();
    this.#members.length = 0;
  }
}
