/**
 * The coordinator: holds the parameters (it is the parameter server, or the ring's bookkeeper)
 * and drives the members through their Links.
 *
 * Synchronous: each step sends the parameters and a batch to every live member, waits at a
 * barrier for their gradients, averages them (parameter server or ring all-reduce) and applies
 * one update. With `backups` spare members a step goes on once all but that many have answered,
 * and late gradients are dropped. A member that has not answered after `timeoutMs` is counted
 * dead: the step goes on without it ("continue") or keeps waiting until it is back ("wait").
 *
 * Asynchronous: every member always has a batch in hand; each gradient is applied the moment it
 * arrives, and the member gets the parameters as they are then. A gradient computed from
 * parameters k updates old has staleness k.
 *
 * Pure: no DOM. Whatever the links lead to (workers, phones, in-process test members) is the same.
 */
import type { WireBits } from "../quantize/affine.ts";
import {
  clipByNorm,
  combine,
  ringAllReduce,
  ringTraffic,
  type Aggregation,
  type Combine,
  type Traffic,
  weightByCount,
} from "./aggregate.ts";
import { applyGradient, layout } from "./mlp.ts";
import {
  parseFromMember,
  type FromMember,
  type MemberSettings,
  type ToMember,
} from "./protocol.ts";
import { batchIndices, shards, type Shard } from "./shards.ts";
import type { Link } from "./transport.ts";
import {
  batchesFor,
  learningRateScale,
  stepTarget,
  TripEstimate,
  type TripPolicy,
} from "./trip-batches.ts";
import { allFinite, decodeGradient, wireSize } from "./wire.ts";

export type Mode = "sync" | "async";
export type TimeoutPolicy = "continue" | "wait";

export interface TrainingConfig {
  mode: Mode;
  aggregation: Aggregation;
  bits: WireBits;
  errorFeedback: boolean;
  /** members, one shard each */
  workers: number;
  /** sync only: spare members; a step needs workers − backups gradients */
  backups: number;
  learningRate: number;
  batchPerWorker: number;
  timeoutMs: number;
  onTimeout: TimeoutPolicy;
  /** parameter server: how a step's gradients are combined (the mean unless said) */
  combine?: Combine;
  /** each member's gradient is scaled down to this L2 norm, if larger */
  clipNorm?: number;
  /** a gradient with a larger L2 norm than this is rejected outright */
  rejectNorm?: number;
  /**
   * Several batches a step, for members behind slow links (trip-batches.ts): each member is sent
   * k batches chosen from its measured overhead and speed. Unset: one batch a step (k = 1).
   */
  trips?: TripPolicy;
  /**
   * Members that can be handed MessagePorts (workers, in-process tests): synchronous ring
   * all-reduce then runs member to member (ring-member.ts), the coordinator off a step's path.
   * Only without backups, error feedback, trips, clipping or a robust combine; else the ring is
   * simulated here as before.
   */
  direct?: boolean;
}

export const DEFAULT_CONFIG: TrainingConfig = {
  mode: "sync",
  aggregation: "ps",
  bits: 32,
  errorFeedback: false,
  workers: 2,
  backups: 0,
  learningRate: 0.1,
  batchPerWorker: 128,
  timeoutMs: 2000,
  onTimeout: "continue",
};

export type MemberPhase = "starting" | "ready" | "timed out" | "gone";

export interface MemberState {
  rank: number;
  phase: MemberPhase;
  backend: string;
  steps: number;
  /** examples in its accepted gradients */
  examples: number;
  /** the batches in the last step it was sent (1 unless `config.trips`) */
  batches: number;
  /** async: the staleness of its last gradient */
  staleness: number;
  lastLoss: number;
  problem: string;
}

export type ActivityKind = "compute" | "wait" | "comm";

export interface Activity {
  rank: number;
  kind: ActivityKind;
  /** page clock, ms */
  start: number;
  end: number;
}

/** ms per step, as the timeline recorded it (see `Coordinator.breakdown`) */
export interface Breakdown {
  stepMs: number;
  computeMs: number;
  commMs: number;
  waitMs: number;
}

export interface StepRecord {
  /** updates applied so far */
  step: number;
  /** seconds of training */
  time: number;
  loss: number;
  examples: number;
  /** async: mean staleness of the gradients in this record */
  staleness: number;
}

export interface Checkpoint {
  params: Float32Array;
  step: number;
  /** seconds of training before this checkpoint */
  elapsed: number;
  /** examples processed */
  examples: number;
  /** per rank, how many batches it has drawn (so a restart does not repeat them) */
  draws: number[];
  /**
   * ranks a run under "wait" is waiting for (dead, not yet back): a run resumed from this
   * checkpoint waits for them too, rather than going on without them
   */
  awaiting?: number[];
}

interface Member {
  rank: number;
  link: Link;
  state: MemberState;
  /** the step it is working on, or -1 */
  busy: number;
  /** page clock when its last gradient arrived */
  lastArrival: number;
  /** async: the version it was sent */
  sentVersion: number;
  /** page clock when it was last sent a step */
  sentAt: number;
  /** the examples in each of its last few steps, by step: what its gradient must count */
  sentCounts: Map<number, number>;
  trip: TripEstimate;
  stop: () => void;
}

interface Arrival {
  rank: number;
  gradient: Float32Array;
  loss: number;
  count: number;
  bytes: number;
}

/** A direct ring under way (ring-member.ts), as the coordinator follows it. */
interface RingState {
  epoch: number;
  /** in ring order */
  members: Member[];
  startStep: number;
  startDraws: number[];
  startExamples: number;
  /** per step: the reports in so far */
  reports: Map<number, { loss: number; count: number; from: number }>;
  /** the last step recorded in the history */
  recorded: number;
  lastProgress: number;
  /** the latest parameters a member sent, and after which step */
  latest?: { step: number; params: Float32Array };
  halted: Map<number, { step: number; params: Float32Array }>;
}

const now = () => performance.now();
const toPage = (wall: number) => wall - performance.timeOrigin;

/**
 * A member's step times on the coordinator's clock. Its own clock may disagree with ours (a
 * phone's by seconds; a worker's where the wall clock moved between the two starting), and then
 * its spans would land outside the timeline's window and a step's breakdown read zero. Its
 * durations are right on any clock: where its times do not fit between our send and the
 * arrival, its busy span is placed in the middle of the round trip.
 */
export function onOurClock(
  times: { received: number; computed: number; sent: number },
  sentAt: number,
  arrived: number,
): { received: number; sent: number } {
  const busy = Math.max(0, times.sent - times.received);
  let received = toPage(times.received);
  if (!(received >= sentAt && received + busy <= arrived)) {
    received = sentAt + Math.max(0, arrived - sentAt - busy) / 2;
  }
  return { received, sent: Math.min(arrived, received + busy) };
}

export class Coordinator {
  readonly config: TrainingConfig;
  readonly params: Float32Array;
  history: StepRecord[] = [];
  /** the timeline, newest last, trimmed to the last `keepActivityMs` */
  readonly activity: Activity[] = [];
  keepActivityMs = 20_000;
  /** activities recorded since the start (the newest `recorded − n` are what came after n) */
  recorded = 0;
  /** the last step's traffic, as counted */
  traffic: Traffic = { sentPerWorker: 0, receivedPerWorker: 0, busiestNode: 0 };
  /** gradients dropped: late (backups), stale from a dead member, or rejected */
  discarded = 0;
  step: number;
  examples: number;
  /** told of every rejected message (a room removes the member that sent it) */
  onRejected: ((rank: number, reason: string) => void) | undefined;

  readonly #members = new Map<number, Member>();
  readonly #shards: Shard[];
  readonly #draws: number[];
  readonly #segments = layout();
  readonly #seed: number;
  #elapsedBefore: number;
  #runningSince: number | undefined;
  #settings: MemberSettings;
  #arrivals = new Map<number, Arrival>();
  /**
   * Buffers of the parameters' size that came back as gradients and were applied, for the next
   * steps' copies of the parameters: a member writes its gradient into the buffer it was sent,
   * so a step allocates no 200 KB arrays (their garbage collection took cores from the workers).
   */
  readonly #spare: Float32Array[] = [];
  #averaged: Float32Array | undefined;
  #wake: () => void = () => {};
  #running = false;
  /**
   * Ranks that timed out under "wait": no step until a member of that rank is ready again. Kept
   * across runs (a pause) and in checkpoints (a resume), or a pause would forget them and the
   * run would go on without them.
   */
  readonly #awaited: Set<number>;

  constructor(config: TrainingConfig, examples: number, start: Checkpoint, seed = 1) {
    this.config = { ...config };
    this.params = start.params.slice();
    this.step = start.step;
    this.examples = start.examples;
    this.#elapsedBefore = start.elapsed;
    this.#shards = shards(examples, config.workers);
    this.#draws = Array.from({ length: config.workers }, (_, i) => start.draws[i] ?? 0);
    this.#seed = seed;
    this.#settings = { bits: config.bits, errorFeedback: config.errorFeedback, slowdown: 1 };
    this.#awaited = new Set(config.onTimeout === "wait" ? (start.awaiting ?? []) : []);
  }

  /** ranks this run waits for before it takes another step ("wait" only), lowest first */
  get awaiting(): number[] {
    return [...this.#awaited].sort((a, b) => a - b);
  }

  /** Forgets the ranks a member is ready for again; true while some are still awaited. */
  #stillAwaiting(): boolean {
    for (const m of this.#ready()) this.#awaited.delete(m.rank);
    return this.#awaited.size > 0;
  }

  /** seconds of training so far */
  get elapsed(): number {
    return (
      this.#elapsedBefore +
      (this.#runningSince === undefined ? 0 : (now() - this.#runningSince) / 1000)
    );
  }

  get members(): MemberState[] {
    return [...this.#members.values()].map((m) => ({ ...m.state })).sort((a, b) => a.rank - b.rank);
  }

  checkpoint(): Checkpoint {
    const ring = this.#ring;
    if (ring?.latest) {
      // the ring's members hold the parameters: the latest a member sent, with what it implies
      const done = ring.latest.step - ring.startStep;
      const draws = [...this.#draws];
      for (const m of ring.members) draws[m.rank] = ring.startDraws[m.rank]! + done;
      return {
        params: ring.latest.params.slice(),
        step: ring.latest.step,
        elapsed: this.elapsed,
        examples: ring.startExamples + done * ring.members.length * this.config.batchPerWorker,
        draws,
        ...this.#awaitingField(),
      };
    }
    return {
      params: this.params.slice(),
      step: this.step,
      elapsed: this.elapsed,
      examples: this.examples,
      draws: [...this.#draws],
      ...this.#awaitingField(),
    };
  }

  /** Makes `link` the member of `rank` (a restart replaces the old one). */
  attach(rank: number, link: Link, slowdown = 1): void {
    if (rank < 0 || rank >= this.config.workers) throw new RangeError(`no rank ${rank}`);
    this.#members.get(rank)?.stop();
    const state: MemberState = {
      rank,
      phase: "starting",
      backend: "",
      steps: 0,
      examples: 0,
      batches: 1,
      staleness: 0,
      lastLoss: NaN,
      problem: "",
    };
    const member: Member = {
      rank,
      link,
      state,
      busy: -1,
      lastArrival: now(),
      sentVersion: 0,
      sentAt: now(),
      sentCounts: new Map(),
      trip: new TripEstimate(),
      stop: () => {},
    };
    const offMessage = link.onMessage((message) => this.#receive(member, message));
    const offClose = link.onClose((reason) => {
      if (this.#members.get(rank) !== member) return;
      state.phase = "gone";
      state.problem = reason;
      member.busy = -1;
      this.#wake();
    });
    member.stop = () => {
      offMessage();
      offClose();
    };
    this.#members.set(rank, member);
    link.send({ k: "settings", ...this.#settings, slowdown } satisfies ToMember);
  }

  #awaitingField(): Pick<Checkpoint, "awaiting"> {
    return this.#awaited.size > 0 ? { awaiting: this.awaiting } : {};
  }

  /** Marks a member gone without waiting for its link (its worker was terminated by us). */
  detach(rank: number, reason: string): void {
    const member = this.#members.get(rank);
    if (!member) return;
    member.stop();
    member.state.phase = "gone";
    member.state.problem = reason;
    member.busy = -1;
    this.#wake();
  }

  setSlowdown(rank: number, slowdown: number): void {
    this.#members
      .get(rank)
      ?.link.send({ k: "settings", ...this.#settings, slowdown } satisfies ToMember);
  }

  /** Trains until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error("this coordinator is already running");
    this.#running = true;
    this.#runningSince = now();
    const onAbort = () => this.#wake();
    signal.addEventListener("abort", onAbort);
    this.#carryOver();
    try {
      if (this.#directRing()) {
        await this.#ringRun(signal);
      } else if (this.config.mode === "sync") {
        while (!signal.aborted) await this.#syncStep(signal);
      } else {
        await this.#asyncRun(signal);
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.#elapsedBefore = this.elapsed;
      this.#runningSince = undefined;
      this.#running = false;
    }
  }

  /**
   * Gradients a run ended with, unapplied, met by a run in the other mode (the mode was switched).
   * Asynchronous ones still queued are dropped and counted: kept, they would be applied at the
   * next asynchronous run as if fresh, a whole synchronous period old; dropping costs at most one
   * gradient a member. The unfinished synchronous step's are kept, for the asynchronous run to
   * apply: they were computed from the current weights.
   */
  #carryOver(): void {
    if (this.config.mode === "sync") {
      this.discarded += this.#asyncArrivals.length;
      this.#asyncArrivals = [];
      this.#asyncStaleness = [];
    } else {
      for (const arrival of this.#arrivals.values()) {
        this.#asyncArrivals.push(arrival);
        this.#asyncStaleness.push(0);
      }
      this.#arrivals = new Map();
    }
  }

  /** Resolves at the next event (a message, a close, an abort) or after `ms`. */
  #nextEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #ready(): Member[] {
    return [...this.#members.values()]
      .filter((m) => m.state.phase === "ready")
      .sort((a, b) => a.rank - b.rank);
  }

  /** How many batches `member` gets in its next step (1 unless `config.trips`). */
  #batchesFor(member: Member): number {
    const policy = this.config.trips;
    if (!policy) return 1;
    const target = stepTarget(
      this.#ready().map((m) => m.trip),
      policy,
    );
    return batchesFor(member.trip, target, policy);
  }

  #send(member: Member, step: number, version: number): void {
    const rank = member.rank;
    const batch = this.config.batchPerWorker;
    const k = this.#batchesFor(member);
    // k consecutive draws of its shard, one after the other in one array
    const draw = (first: number) => {
      const out = new Int32Array(k * batch);
      for (let j = 0; j < k; j++) {
        out.set(batchIndices(this.#shards[rank]!, first + j, batch, this.#seed), j * batch);
      }
      return out;
    };
    const indices = draw(this.#draws[rank]!);
    this.#draws[rank]! += k;
    const next = draw(this.#draws[rank]!);
    member.state.batches = k;
    member.sentCounts.set(step, indices.length);
    if (member.sentCounts.size > 8)
      member.sentCounts.delete(member.sentCounts.keys().next().value!);
    const sentAt = now();
    this.#record(rank, "wait", member.lastArrival, sentAt);
    member.busy = step;
    member.sentVersion = version;
    member.sentAt = sentAt;
    const params = this.#spare.pop() ?? new Float32Array(this.params.length);
    params.set(this.params);
    // the copy and the indices are moved, not copied again, where the link can
    member.link.send(
      { k: "step", step, version, params, indices, next, sentAt } satisfies ToMember,
      [params.buffer, indices.buffer, next.buffer],
    );
  }

  async #syncStep(signal: AbortSignal): Promise<void> {
    let participants = this.#ready();
    if (participants.length === 0 || this.#stillAwaiting()) {
      await this.#nextEvent(200);
      return;
    }
    const step = this.step;
    this.#arrivals = new Map();
    for (const m of participants) this.#send(m, step, step);
    const needed = () => Math.max(1, participants.length - this.config.backups);
    const started = now();
    while (!signal.aborted) {
      // members that came (back) during the step get it too
      for (const m of this.#ready()) {
        if (m.busy !== step && !this.#arrivals.has(m.rank)) {
          this.#send(m, step, step);
          participants = [...participants.filter((p) => p.rank !== m.rank), m];
        }
      }
      participants = participants.filter(
        (m) => this.#members.get(m.rank) === m && m.state.phase !== "gone",
      );
      if (this.#arrivals.size >= needed() && this.#arrivals.size > 0) break;
      const waited = now() - started;
      if (waited >= this.config.timeoutMs) {
        const silent = participants.filter(
          (m) => !this.#arrivals.has(m.rank) && m.state.phase === "ready",
        );
        for (const m of silent) {
          m.state.phase = "timed out";
          m.state.problem = `no gradient within ${this.config.timeoutMs} ms`;
          if (this.config.onTimeout === "wait") this.#awaited.add(m.rank);
        }
        if (this.config.onTimeout === "continue") {
          participants = participants.filter((m) => m.state.phase === "ready");
          if (this.#arrivals.size > 0) break;
        }
      }
      await this.#nextEvent(Math.max(5, this.config.timeoutMs - waited));
    }
    if (signal.aborted) return;
    const arrivals = [...this.#arrivals.values()]
      .slice(0, needed())
      .sort((a, b) => a.rank - b.rank);
    this.#arrivals = new Map();
    this.#apply(arrivals, 0);
  }

  #apply(arrivals: Arrival[], staleness: number): void {
    const n = arrivals.length;
    const robust = this.config.combine === "median" || this.config.combine === "trimmed";
    // the mean is over all the step's examples; the median and the trimmed mean give each member
    // one vote, whatever its batches, so that a member cannot buy weight
    const gradients = robust
      ? arrivals.map((a) => a.gradient)
      : weightByCount(
          arrivals.map((a) => a.gradient),
          arrivals.map((a) => a.count),
        );
    let averaged: Float32Array;
    const values = this.params.length;
    if (this.config.aggregation === "ring" && this.config.mode === "sync") {
      const t0 = now();
      const ring = ringAllReduce(gradients, this.config.bits);
      averaged = ring.averaged[0]!;
      this.traffic = ring.traffic;
      for (const a of arrivals) this.#record(a.rank, "comm", t0, now());
    } else {
      averaged = combine(
        gradients,
        this.config.combine,
        (this.#averaged ??= new Float32Array(values)),
      );
      // what the workers sent up (at their bits); the server sends float32 parameters down
      const up = arrivals.reduce((sum, a) => sum + a.bytes, 0) / n;
      const down = values * 4;
      this.traffic = { sentPerWorker: up, receivedPerWorker: down, busiestNode: n * (up + down) };
    }
    const count = arrivals.reduce((s, a) => s + a.count, 0);
    // with trips, an update of many batches takes a larger step (trip-batches.ts)
    const trips = this.config.trips;
    const scale = trips ? learningRateScale(count, this.config.batchPerWorker, trips) : 1;
    applyGradient(this.params, averaged, this.config.learningRate * scale);
    for (const g of gradients) {
      if (
        g.length === values &&
        g !== this.#averaged &&
        this.#spare.length < 2 * this.config.workers + 2
      ) {
        this.#spare.push(g);
      }
    }
    const loss = arrivals.reduce((s, a) => s + a.loss * a.count, 0) / count;
    this.step++;
    this.examples += count;
    this.history.push({
      step: this.step,
      time: this.elapsed,
      loss,
      examples: this.examples,
      staleness,
    });
  }

  #receive(member: Member, raw: unknown): void {
    if (this.#members.get(member.rank) !== member) return;
    const message = parseFromMember(raw);
    const state = member.state;
    if (typeof message === "string") {
      state.problem = `rejected: ${message}`;
      this.discarded++;
      this.onRejected?.(member.rank, message);
      return;
    }
    if (message.k === "ready") {
      state.phase = "ready";
      state.backend = message.backend;
      member.lastArrival = now();
    } else if (message.k === "error") {
      state.problem = message.message;
      member.busy = -1;
    } else if (message.k === "ringSteps" || message.k === "halted") {
      this.#onRing(member, message);
    } else {
      const arrived = now();
      // a straggler's delay counts as computing: it stands for a slower machine
      const { received, sent } = onOurClock(message.times, member.sentAt, arrived);
      if (member.busy === message.step) {
        const batches = (member.sentCounts.get(message.step) ?? 0) / this.config.batchPerWorker;
        member.trip.observe(arrived - member.sentAt, sent - received, batches);
      }
      this.#record(member.rank, "comm", member.sentAt, received);
      this.#record(member.rank, "comm", sent, arrived);
      this.#record(member.rank, "compute", received, sent);
      member.lastArrival = arrived;
      if (state.phase === "timed out") state.phase = "ready"; // it was slow, not dead
      let gradient: Float32Array;
      try {
        gradient = decodeGradient(message.gradient, this.#segments);
        if (!allFinite(gradient)) throw new TypeError("a gradient with NaN or infinite values");
        const sent = member.sentCounts.get(message.step);
        if (sent !== undefined ? message.count !== sent : !this.#plausibleCount(message.count)) {
          throw new TypeError(`a gradient of ${message.count} examples, not the step's`);
        }
        const { rejectNorm, clipNorm } = this.config;
        if (rejectNorm !== undefined || clipNorm !== undefined) {
          const norm = clipByNorm(gradient, clipNorm ?? Infinity);
          if (rejectNorm !== undefined && norm > rejectNorm) {
            throw new TypeError(`a gradient of norm ${norm.toPrecision(3)}, over ${rejectNorm}`);
          }
        }
      } catch (error) {
        state.problem = `rejected: ${(error as Error).message}`;
        this.discarded++;
        member.busy = -1;
        this.onRejected?.(member.rank, (error as Error).message);
        this.#wake();
        return;
      }
      if (!member.sentCounts.has(message.step)) {
        this.discarded++; // not a step it was sent (a step of an earlier link, or made up)
        this.#wake();
        return;
      }
      state.steps++;
      state.examples += message.count;
      state.lastLoss = message.loss;
      const arrival: Arrival = {
        rank: member.rank,
        gradient,
        loss: message.loss,
        count: message.count,
        bytes: wireSize(message.gradient as Parameters<typeof wireSize>[0]),
      };
      if (this.config.mode === "async") {
        member.busy = -1;
        state.staleness = this.step - message.version;
        this.#asyncArrivals.push(arrival);
        this.#asyncStaleness.push(state.staleness);
      } else if (message.step === this.step && member.busy === message.step) {
        member.busy = -1;
        this.#arrivals.set(member.rank, arrival);
      } else {
        this.discarded++; // a backup's late gradient, or one from before a timeout or a switch
        // idle only if this was the step it had in hand: one sent a newer step is computing it
        // already, and sending that again would have it compute every step twice from now on
        if (member.busy === message.step) member.busy = -1;
      }
    }
    this.#wake();
  }

  /** A count no step could have asked for is malformed, whichever step it names. */
  #plausibleCount(count: number): boolean {
    const batch = this.config.batchPerWorker;
    const most = this.config.trips?.maxBatches ?? 1;
    return Number.isInteger(count) && count > 0 && count % batch === 0 && count / batch <= most;
  }

  #asyncArrivals: Arrival[] = [];
  #asyncStaleness: number[] = [];

  async #asyncRun(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      for (const arrival of this.#asyncArrivals.splice(0)) {
        const staleness = this.#asyncStaleness.shift() ?? 0;
        this.#apply([arrival], staleness);
      }
      for (const m of this.#ready()) if (m.busy < 0) this.#send(m, this.step, this.step);
      const silentFor = this.config.timeoutMs;
      for (const m of this.#members.values()) {
        if (m.state.phase === "ready" && m.busy >= 0 && now() - m.sentAt > silentFor) {
          m.state.phase = "timed out";
          m.state.problem = `no gradient for ${silentFor} ms`;
        }
      }
      await this.#nextEvent(Math.max(50, silentFor / 4));
    }
  }

  #ring: RingState | undefined;
  #epoch = 0;

  #directRing(): boolean {
    const c = this.config;
    return (
      c.direct === true &&
      c.mode === "sync" &&
      c.aggregation === "ring" &&
      c.backups === 0 &&
      !c.errorFeedback &&
      !c.trips &&
      c.clipNorm === undefined &&
      c.rejectNorm === undefined &&
      (c.combine ?? "mean") === "mean" &&
      typeof MessageChannel === "function"
    );
  }

  /**
   * Synchronous ring all-reduce member to member: forms a ring of the ready members, follows its
   * reports, and halts it and forms a new one whenever a member comes, goes or falls silent for
   * `timeoutMs` (a dead member stalls the whole ring; it is the one that does not answer the halt).
   */
  async #ringRun(signal: AbortSignal): Promise<void> {
    let since = now();
    while (!signal.aborted) {
      const ready = this.#ready();
      // members still starting get a timeout's grace to be in the ring from its first step
      const starting = [...this.#members.values()].some((m) => m.state.phase === "starting");
      if (
        ready.length === 0 ||
        this.#stillAwaiting() ||
        (starting && now() - since < this.config.timeoutMs)
      ) {
        await this.#nextEvent(200);
        continue;
      }
      const ring = this.#formRing(ready);
      while (!signal.aborted) {
        await this.#nextEvent(Math.max(20, this.config.timeoutMs / 4));
        const joined = this.#ready().some((m) => !ring.members.includes(m));
        const left = ring.members.some(
          (m) => this.#members.get(m.rank) !== m || m.state.phase !== "ready",
        );
        if (joined || left || now() - ring.lastProgress > this.config.timeoutMs) break;
      }
      const silent = await this.#haltRing(ring, signal.aborted);
      since = now();
      for (const m of silent) {
        if (m.state.phase !== "ready") continue;
        m.state.phase = "timed out";
        m.state.problem = `no step within ${this.config.timeoutMs} ms`;
        if (this.config.onTimeout === "wait") this.#awaited.add(m.rank);
      }
    }
  }

  #formRing(members: Member[]): RingState {
    const epoch = ++this.#epoch;
    const n = members.length;
    const ring: RingState = {
      epoch,
      members,
      startStep: this.step,
      startDraws: [...this.#draws],
      startExamples: this.examples,
      reports: new Map(),
      recorded: this.step,
      lastProgress: now(),
      halted: new Map(),
    };
    this.#ring = ring;
    this.traffic = ringTraffic(n, this.params.length, this.config.bits);
    // channel i carries member i's chunks to member i + 1
    const channels = n > 1 ? members.map(() => new MessageChannel()) : [];
    members.forEach((m, i) => {
      const right = channels[i]?.port1;
      const left = channels[(i - 1 + n) % n]?.port2;
      const params = this.params.slice();
      m.sentAt = now();
      m.busy = this.step;
      m.link.send(
        {
          k: "ring",
          epoch,
          position: i,
          size: n,
          step: this.step,
          params,
          shard: this.#shards[m.rank]!,
          draw: this.#draws[m.rank]!,
          batch: this.config.batchPerWorker,
          seed: this.#seed,
          learningRate: this.config.learningRate,
          bits: this.config.bits,
          ...(left ? { left, right } : {}),
        } satisfies ToMember,
        [params.buffer, ...(left && right ? [left, right] : [])],
      );
    });
    return ring;
  }

  /** Halts the ring and takes over its parameters; returns the members that did not answer. */
  async #haltRing(ring: RingState, stopping: boolean): Promise<Member[]> {
    const live = ring.members.filter(
      (m) => this.#members.get(m.rank) === m && m.state.phase !== "gone",
    );
    for (const m of live) m.link.send({ k: "halt", epoch: ring.epoch } satisfies ToMember);
    // at the end of a run the members may be ended already (a page disposing a cluster ends
    // its workers at once): the latest parameters they sent are then the checkpoint
    const until = now() + (stopping ? 100 : Math.min(this.config.timeoutMs, 2000));
    while (
      now() < until &&
      live.some((m) => !ring.halted.has(m.rank) && m.state.phase !== "gone")
    ) {
      await this.#nextEvent(until - now());
    }
    this.#ring = undefined;
    let best: { step: number; params: Float32Array } | undefined;
    for (const h of ring.halted.values()) if (!best || h.step > best.step) best = h;
    if (!best || (ring.latest && ring.latest.step > best.step)) best = ring.latest ?? best;
    if (best) {
      this.params.set(best.params);
      this.#recordRing(ring, best.step, true);
      const done = best.step - ring.startStep;
      for (const m of ring.members) this.#draws[m.rank] = ring.startDraws[m.rank]! + done;
      this.step = best.step;
      this.examples = ring.startExamples + done * ring.members.length * this.config.batchPerWorker;
    }
    for (const m of ring.members) m.busy = -1;
    return live.filter((m) => !ring.halted.has(m.rank));
  }

  /** History records for the ring's steps up to `step`: all reports in, or `force`d at a halt. */
  #recordRing(ring: RingState, step: number, force: boolean): void {
    const n = ring.members.length;
    while (ring.recorded < step) {
      const s = ring.recorded + 1;
      const r = ring.reports.get(s);
      if (!force && (!r || r.from < n)) return;
      ring.reports.delete(s);
      ring.recorded = s;
      ring.lastProgress = now(); // a step every member reported: one silent member stalls this
      this.step = Math.max(this.step, s);
      this.examples += n * this.config.batchPerWorker;
      const last = this.history.at(-1)?.loss ?? NaN;
      this.history.push({
        step: s,
        time: this.elapsed,
        loss: r && r.count > 0 ? r.loss / r.count : last,
        examples: this.examples,
        staleness: 0,
      });
    }
  }

  #onRing(member: Member, message: Extract<FromMember, { k: "ringSteps" | "halted" }>): void {
    const ring = this.#ring;
    if (member.state.phase === "timed out") member.state.phase = "ready"; // slow, not dead
    if (!ring || message.epoch !== ring.epoch || !ring.members.includes(member)) return;
    if (message.k === "halted") {
      if (message.params.length === this.params.length) {
        ring.halted.set(member.rank, { step: message.step, params: message.params });
      }
      return;
    }
    if (message.params?.length === this.params.length && message.paramsStep !== undefined) {
      ring.latest = { step: message.paramsStep, params: message.params };
    }
    const arrived = now();
    for (const report of message.steps) {
      const t = report.times;
      const at = (wall: number) => Math.min(arrived, Math.max(member.lastArrival, toPage(wall)));
      // a straggler's delay counts as computing, as on the parameter server's path
      this.#record(member.rank, "wait", member.lastArrival, at(t.received));
      this.#record(member.rank, "compute", at(t.received), at(t.reduced));
      this.#record(member.rank, "comm", at(t.reduced), at(t.sent));
      member.lastArrival = at(t.sent);
      member.state.steps++;
      member.state.examples += report.count;
      member.state.lastLoss = report.loss;
      const r = ring.reports.get(report.step) ?? { loss: 0, count: 0, from: 0 };
      r.loss += report.loss * report.count;
      r.count += report.count;
      r.from++;
      ring.reports.set(report.step, r);
      this.#recordRing(ring, report.step, false);
    }
  }

  /**
   * Where a step's time went over the last `windowMs`: per kind, the mean over ranks of the ms
   * each spent a step computing, communicating and waiting, beside the wall time of a step.
   */
  breakdown(windowMs = 5000): Breakdown {
    const since = now() - windowMs;
    const steps = this.history.filter((h) => h.time * 1000 >= this.elapsed * 1000 - windowMs);
    const count = Math.max(1, steps.length);
    const ranks = new Set<number>();
    const sums: Record<ActivityKind, number> = { compute: 0, comm: 0, wait: 0 };
    for (const a of this.activity) {
      if (a.start < since) continue;
      ranks.add(a.rank);
      sums[a.kind] += a.end - a.start;
    }
    const per = (kind: ActivityKind) => sums[kind] / count / Math.max(1, ranks.size);
    return {
      stepMs: steps.length ? windowMs / steps.length : 0,
      computeMs: per("compute"),
      commMs: per("comm"),
      waitMs: per("wait"),
    };
  }

  #record(rank: number, kind: ActivityKind, start: number, end: number): void {
    if (!(end > start)) return;
    this.activity.push({ rank, kind, start, end });
    this.recorded++;
    const horizon = now() - this.keepActivityMs;
    let drop = 0;
    while (drop < this.activity.length && this.activity[drop]!.end < horizon) drop++;
    if (drop > 256) this.activity.splice(0, drop);
  }
}
