/**
 * A training run whose coordinator runs in a worker of its own (coordinator-host.ts): the page
 * starts the members and the host, hands each member's port to the host, and from then on only
 * mirrors the snapshots it is sent (history, timeline, members, traffic) and keeps the
 * checkpoints. Breaking things works as with Cluster: a straggler, a silent crash (the host finds
 * out by its timeout), a restart. Disposing ends the members at once and the host once it has
 * sent its last checkpoint (or after `stopMs`, whichever is first).
 */
import type { Traffic } from "./aggregate.ts";
import type {
  CheckpointStore,
  ClusterOptions,
  CoordinatorView,
  SpawnedMember,
  TrainingCluster,
} from "./cluster.ts";
import type { Activity, Breakdown, Checkpoint, MemberState } from "./coordinator.ts";
import type { FromHost, Snapshot, ToHost } from "./coordinator-host.ts";
import { ranksToStart, withAwaited } from "./awaited-ranks.ts";
import { initialParameters } from "./mlp.ts";
import type { Link } from "./transport.ts";

/** The page's copy of what the host last said. */
export class CoordinatorMirror implements CoordinatorView {
  members: MemberState[] = [];
  readonly activity: Activity[] = [];
  traffic: Traffic = { sentPerWorker: 0, receivedPerWorker: 0, busiestNode: 0 };
  discarded = 0;
  keepActivityMs = 20_000;
  #breakdown: Breakdown = { stepMs: 0, computeMs: 0, commMs: 0, waitMs: 0 };

  breakdown(): Breakdown {
    return { ...this.#breakdown };
  }

  /** Takes in a snapshot; its step records are appended to `history`. */
  apply(snapshot: Snapshot, history: Snapshot["history"]): void {
    history.push(...snapshot.history);
    const origin = performance.timeOrigin;
    for (const a of snapshot.activity) {
      this.activity.push({ ...a, start: a.start - origin, end: a.end - origin });
    }
    const horizon = performance.now() - this.keepActivityMs;
    let drop = 0;
    while (drop < this.activity.length && this.activity[drop]!.end < horizon) drop++;
    if (drop > 0) this.activity.splice(0, drop);
    this.members = snapshot.members;
    this.traffic = snapshot.traffic;
    this.discarded = snapshot.discarded;
    this.#breakdown = snapshot.breakdown;
  }
}

export interface HostedClusterOptions extends ClusterOptions {
  /** starts the coordinator's host; closing the link ends it */
  host: () => Link;
  /** how long a disposed run waits for the host's last checkpoint */
  stopMs?: number;
}

type Connectable = SpawnedMember & { connect(): MessagePort };

export class HostedCluster implements TrainingCluster {
  readonly coordinator = new CoordinatorMirror();
  readonly resumedAt: number;
  readonly #options: HostedClusterOptions;
  readonly #host: Link;
  readonly #members: Array<Connectable | undefined> = [];
  readonly #slowdown: number[];
  readonly #store: CheckpointStore;
  #latest: Checkpoint;
  #disposed = false;
  /** ranks killed and not restarted since (a dispose ends the others, not as a crash) */
  readonly #killed = new Set<number>();
  #ended: Promise<void>;
  #end: () => void = () => {};
  #fail: (error: Error) => void = () => {};

  constructor(options: HostedClusterOptions) {
    this.#options = options;
    this.#store = options.store;
    const saved = options.store.load(options.key);
    this.#latest = saved ?? {
      params: initialParameters(options.seed ?? 1),
      step: 0,
      elapsed: 0,
      examples: 0,
      draws: [],
    };
    this.resumedAt = this.#latest.step;
    this.#slowdown = new Array<number>(options.config.workers).fill(1);
    this.#ended = new Promise<void>((resolve, reject) => {
      this.#end = resolve;
      this.#fail = reject;
    });
    this.#host = options.host();
    this.#host.onMessage((message) => this.#receive(message as FromHost));
    this.#host.onClose(() => this.#end());
    this.#send({
      k: "start",
      config: options.config,
      examples: options.examples,
      checkpoint: { ...this.#latest, params: this.#latest.params.slice() },
      seed: options.seed ?? 1,
    });
    const starting = ranksToStart(options.config, this.#latest);
    for (let rank = 0; rank < options.config.workers; rank++) {
      if (starting.includes(rank)) this.restart(rank);
      else this.#killed.add(rank); // dead when the run was saved: still dead
    }
  }

  get workers(): number {
    return this.#options.config.workers;
  }

  run(): Promise<void> {
    return this.#ended;
  }

  isAlive(rank: number): boolean {
    return this.#members[rank] !== undefined;
  }

  slowdown(rank: number): number {
    return this.#slowdown[rank] ?? 1;
  }

  setSlowdown(rank: number, factor: number): void {
    this.#slowdown[rank] = factor;
    this.#send({ k: "slowdown", rank, factor });
  }

  kill(rank: number): void {
    this.#members[rank]?.kill();
    this.#members[rank] = undefined;
    this.#killed.add(rank);
  }

  restart(rank: number): void {
    if (this.#disposed) return;
    this.#killed.delete(rank);
    if (this.#members[rank]) {
      this.#members[rank].dispose();
      this.#send({ k: "detach", rank, reason: "restarted" });
    }
    const member = this.#options.spawn(rank);
    if (!member.connect) {
      member.dispose();
      throw new Error("a hosted coordinator needs members that can be given a port");
    }
    this.#members[rank] = member as Connectable;
    const port = member.connect();
    this.#send({ k: "attach", rank, port, slowdown: this.#slowdown[rank]! }, [port]);
  }

  /** Saves the latest checkpoint the host sent (it sends one a second). */
  save(): void {
    const { config, key } = this.#options;
    const checkpoint = withAwaited(config, this.#latest, (r) => !this.#killed.has(r));
    this.#store.save(key, checkpoint, config);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const member of this.#members) member?.dispose();
    this.#members.length = 0;
    this.#send({ k: "stop" });
    const timer = setTimeout(() => this.#close(), this.#options.stopMs ?? 1000);
    void this.#ended.finally(() => clearTimeout(timer)).catch(() => {});
  }

  #close(): void {
    this.save();
    this.#host.close("the run ended");
    this.#end();
  }

  #send(message: ToHost, transfer: Transferable[] = []): void {
    this.#host.send(message, transfer);
  }

  #receive(message: FromHost): void {
    if (message?.k === "error") {
      this.#fail(new Error(message.message));
      return;
    }
    if (message?.k !== "snapshot") return;
    this.coordinator.apply(message, this.#options.history);
    if (message.final && message.checkpoint) {
      // members that reduce among themselves hold the weights; ended at once, the last they
      // sent may be a few steps behind: the history does not claim what the checkpoint lost
      const history = this.#options.history;
      while ((history.at(-1)?.step ?? 0) > message.checkpoint.step) history.pop();
    }
    if (message.checkpoint) {
      this.#latest = message.checkpoint;
      this.save();
    }
    if (message.final) this.#close();
  }
}
