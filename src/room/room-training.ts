/**
 * The presenter's side of training across the room: one Coordinator (the deck holds the
 * parameters) whose members are this browser's own workers (ranks 0 … local − 1) and the devices
 * that joined (the next ranks, one each, while a slot is free). The room server only relays:
 * it never sees a parameter or combines a gradient, so nothing on it has to be trusted, and a
 * presenter's laptop that is already running the deck needs nothing else.
 *
 * A device whose message the coordinator rejects (malformed, wrong shape, NaN, a norm over the
 * limit) is removed from the room with the reason, and its row stays on the roster, marked.
 * Joins, departures and rejections are kept as events on the training clock, for the loss chart.
 */
import type { Combine } from "../ml/distributed/aggregate.ts";
import type { SpawnedMember } from "../ml/distributed/cluster.ts";
import {
  Coordinator,
  DEFAULT_CONFIG,
  type Mode,
  type StepRecord,
  type TrainingConfig,
} from "../ml/distributed/coordinator.ts";
import { initialParameters } from "../ml/distributed/mlp.ts";
import { ROOM_TRIPS } from "../ml/distributed/trip-batches.ts";
import type { MemberSettings, ToMember } from "../ml/distributed/protocol.ts";
import type { Link } from "../ml/distributed/transport.ts";
import type { DeviceInfo, MemberInfo } from "./protocol.ts";
import {
  gradientPayloadBytes,
  packWeights,
  weightBytes,
  type RoomStep,
  type WeightBits,
} from "./weights.ts";

/** "mode": training switched between synchronous and asynchronous */
export type ClusterEventKind = "joined" | "left" | "rejected" | "mode";

export interface ClusterEvent {
  /** seconds of training, the loss chart's clock */
  time: number;
  kind: ClusterEventKind;
  /** -1 for an event of the whole training (a mode switch) */
  rank: number;
  label: string;
}

export type RowState = "starting" | "training" | "late" | "gone" | "rejected";

export interface ClusterRow {
  rank: number;
  /** "this browser" for the presenter's workers, else the device's name (text, never HTML) */
  who: string;
  kind: DeviceInfo["kind"] | "worker";
  /** the room's member id, for a device */
  memberId: number | null;
  backend: string;
  /** examples per second since it joined */
  speed: number;
  steps: number;
  /** batches of its last step: more for a member whose round trip is slow (trip-batches.ts) */
  batches: number;
  /** async: updates applied between its last gradient's weights leaving and it arriving */
  staleness: number;
  state: RowState;
  problem: string;
}

export interface RoomTrainingOptions {
  /** this browser's workers */
  local: number;
  spawnLocal: (rank: number) => SpawnedMember;
  /** device slots: devices beyond these wait until one is free */
  devices?: number;
  /** examples in each member's copy of the data */
  examples: number;
  config?: Partial<TrainingConfig>;
  seed?: number;
  /** what the weights sent to devices are quantized to (16 by default; this browser's workers get float32) */
  weightBits?: WeightBits;
  /** what devices send their gradients at (the weights' bits by default; this browser's workers send float32) */
  gradientBits?: WeightBits;
}

/** Weights sent to the devices and gradients back from them so far, as they crossed the room. */
export interface WeightTraffic {
  bits: WeightBits;
  /** steps sent to devices */
  steps: number;
  /** bytes of weights in them (the frames' envelopes and indices aside) */
  bytes: number;
  /** bytes of weights in the last one, and what float32 would have taken */
  lastBytes: number;
  lastFloatBytes: number;
  /** what devices are told to send their gradients at, from now on */
  gradientBits: WeightBits;
  /** gradients received from devices (well formed or not: the coordinator judges them after) */
  gradients: number;
  /** bytes of gradient payload in them, and in the last one */
  gradientBytes: number;
  lastGradientBytes: number;
  /** the bits the last one came at, as it said (0 for one that said nothing usable) */
  lastGradientBits: number;
}

/** What a room must offer: its members' links, and a way to throw one out. */
export interface MemberSource {
  onMember(listener: (member: MemberInfo, link: Link) => void): () => void;
  remove(id: number, reason: string): void;
}

interface Slot {
  rank: number;
  memberId: number | null;
  device: DeviceInfo | null;
  local: SpawnedMember | null;
  link: Link | null;
  attachedAt: number;
  rejected: string;
  gone: boolean;
}

/**
 * Robust defaults for a room: gradients clipped, absurd ones refused, a 3 s barrier, and several
 * batches a step: enough for a step of at least 40 ms, more once a device's round trip through the
 * room is slow (trip-batches.ts).
 */
export const ROOM_CONFIG: TrainingConfig = {
  ...DEFAULT_CONFIG,
  timeoutMs: 3000,
  clipNorm: 10,
  rejectNorm: 1000,
  combine: "mean",
  trips: ROOM_TRIPS,
};

export class RoomTraining {
  readonly coordinator: Coordinator;
  readonly events: ClusterEvent[] = [];
  /**
   * Devices' step round trips, ms: from the step (weights and batch) leaving this page to its
   * gradient arriving, less the device's own time between receiving and answering; newest last.
   */
  readonly roundTrips: number[] = [];
  readonly #slots: Slot[];
  readonly #local: number;
  readonly #spawnLocal: (rank: number) => SpawnedMember;
  readonly #weights: WeightTraffic;
  #room: MemberSource | undefined;
  #stopRoom: () => void = () => {};
  /** ends the coordinator's current run, so that `run` starts it again in the new mode */
  #restart: () => void = () => {};
  #packed: { version: number; bits: WeightBits; step: RoomStep } | undefined;
  /** each device link's way to send its settings again (the gradient bits changed) */
  readonly #resettle = new Set<() => void>();
  #disposed = false;

  constructor(options: RoomTrainingOptions) {
    const devices = options.devices ?? 8;
    const config: TrainingConfig = {
      ...ROOM_CONFIG,
      ...options.config,
      workers: options.local + devices,
    };
    this.#local = options.local;
    this.#spawnLocal = options.spawnLocal;
    this.#weights = {
      bits: options.weightBits ?? 16,
      steps: 0,
      bytes: 0,
      lastBytes: 0,
      lastFloatBytes: 0,
      gradientBits: options.gradientBits ?? options.weightBits ?? 16,
      gradients: 0,
      gradientBytes: 0,
      lastGradientBytes: 0,
      lastGradientBits: 0,
    };
    this.coordinator = new Coordinator(
      config,
      options.examples,
      {
        params: initialParameters(options.seed ?? 1),
        step: 0,
        elapsed: 0,
        examples: 0,
        draws: [],
      },
      options.seed ?? 1,
    );
    this.coordinator.history = [];
    this.coordinator.onRejected = (rank, reason) => this.#rejected(rank, reason);
    this.#slots = Array.from({ length: config.workers }, (_, rank) => ({
      rank,
      memberId: null,
      device: null,
      local: null,
      link: null,
      attachedAt: 0,
      rejected: "",
      gone: true,
    }));
    this.startLocal();
  }

  /** Starts this browser's workers (again, after `stopLocal`): they get the current weights. */
  startLocal(): void {
    if (this.#disposed) return;
    for (const slot of this.#slots.slice(0, this.#local)) {
      if (slot.local) continue;
      const member = this.#spawnLocal(slot.rank);
      this.#attach(slot, member.link);
      slot.local = member;
    }
  }

  /** Ends this browser's workers (the slide was left); the devices stay in the room. */
  stopLocal(): void {
    for (const slot of this.#slots.slice(0, this.#local)) {
      slot.local?.dispose();
      slot.local = null;
    }
  }

  get history(): StepRecord[] {
    return this.coordinator.history;
  }

  get params(): Float32Array {
    return this.coordinator.params;
  }

  setCombine(how: Combine): void {
    this.coordinator.config.combine = how;
  }

  get mode(): Mode {
    return this.coordinator.config.mode;
  }

  /**
   * Synchronous (a barrier each step) or asynchronous (each gradient applied as it comes): the
   * coordinator's run ends and starts again in the new mode; gradients on their way still count.
   */
  setMode(mode: Mode): void {
    if (mode === this.coordinator.config.mode) return;
    this.coordinator.config.mode = mode;
    this.events.push({
      time: this.coordinator.elapsed,
      kind: "mode",
      rank: -1,
      label: mode === "async" ? "asynchronous from here" : "synchronous from here",
    });
    this.#restart();
  }

  get weightTraffic(): WeightTraffic {
    return { ...this.#weights };
  }

  /** The bits of the weights sent to devices from the next step on. */
  setWeightBits(bits: WeightBits): void {
    this.#weights.bits = bits;
  }

  /**
   * The bits devices send their gradients at: each is told at once, and answers at them from
   * its next step. A gradient already on its way at the old bits is still taken (the coordinator
   * decodes 32, 16 and 8 alike, checking each against the network's shapes).
   */
  setGradientBits(bits: WeightBits): void {
    if (bits === this.#weights.gradientBits) return;
    this.#weights.gradientBits = bits;
    for (const resettle of this.#resettle) resettle();
  }

  /** Takes the room's devices as members from now on. */
  useRoom(room: MemberSource): void {
    this.#stopRoom();
    this.#room = room;
    this.#stopRoom = room.onMember((member, link) => this.#join(member, link));
  }

  /** Trains until `signal` aborts, in whichever mode is set at the time. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const inner = new AbortController();
      const stop = () => inner.abort();
      signal.addEventListener("abort", stop);
      this.#restart = stop;
      try {
        await this.coordinator.run(inner.signal);
      } finally {
        signal.removeEventListener("abort", stop);
        this.#restart = () => {};
      }
    }
  }

  rows(): ClusterRow[] {
    const states = new Map(this.coordinator.members.map((m) => [m.rank, m]));
    const now = performance.now();
    return this.#slots
      .filter((slot) => slot.link !== null || slot.rejected)
      .map((slot) => {
        const state = states.get(slot.rank);
        const steps = state?.steps ?? 0;
        const seconds = (now - slot.attachedAt) / 1000;
        const phase = state?.phase ?? "gone";
        const rowState: RowState = slot.rejected
          ? "rejected"
          : slot.gone || phase === "gone"
            ? "gone"
            : phase === "timed out"
              ? "late"
              : phase === "ready"
                ? "training"
                : "starting";
        return {
          rank: slot.rank,
          who: slot.device ? slot.device.name : "this browser",
          kind: slot.device ? slot.device.kind : "worker",
          memberId: slot.memberId,
          backend: state?.backend || slot.device?.backend || "",
          speed: seconds > 0 ? (state?.examples ?? 0) / seconds : 0,
          steps,
          batches: state?.batches ?? 1,
          // synchronous steps are never stale; the coordinator keeps the last async value
          staleness: this.mode === "async" ? (state?.staleness ?? 0) : 0,
          state: rowState,
          problem: slot.rejected || state?.problem || "",
        };
      });
  }

  #attach(slot: Slot, link: Link): void {
    slot.link = link;
    slot.gone = false;
    slot.rejected = "";
    slot.attachedAt = performance.now();
    this.coordinator.attach(slot.rank, link);
    link.onClose((reason) => {
      if (slot.link !== link || slot.gone) return;
      slot.gone = true;
      if (slot.memberId !== null && !slot.rejected) {
        this.#event("left", slot, `#${slot.memberId} left: ${reason}`);
      }
    });
  }

  #join(member: MemberInfo, link: Link): void {
    if (this.#disposed) return;
    // the same device coming back keeps its rank (and its shard); else the first free slot
    const devices = this.#slots.slice(this.#local);
    const slot =
      devices.find((s) => s.memberId === member.id && !s.rejected) ??
      devices.find((s) => s.memberId === null) ??
      devices.find((s) => s.gone);
    if (!slot) return; // full: it stays in the room, idle, until a slot frees
    slot.memberId = member.id;
    slot.device = member.device;
    this.#attach(slot, this.#timed(link));
    this.#event("joined", slot, `#${member.id} joined (${member.device.name})`);
  }

  /**
   * The same link, with each step's weights at the room's bits (counted), the device told to send
   * its gradients at the room's gradient bits (whatever the coordinator's settings say: those are
   * for this browser's workers), the gradients' bytes counted, and each step's round trip through
   * the room measured.
   */
  #timed(link: Link): Link {
    let sentAt = 0;
    let settings: MemberSettings | undefined;
    const settle = () => {
      if (settings) link.send({ k: "settings", ...settings, bits: this.#weights.gradientBits });
    };
    this.#resettle.add(settle);
    link.onClose(() => this.#resettle.delete(settle));
    return {
      send: (message, transfer) => {
        const m = message as ToMember;
        if (m?.k === "settings") {
          const { k: _k, ...rest } = m;
          settings = rest;
          settle();
          return;
        }
        if (m?.k === "step") {
          sentAt = performance.now();
          const packed = this.#pack(m);
          const w = this.#weights;
          w.steps++;
          w.lastBytes = weightBytes(packed);
          w.lastFloatBytes = m.params.byteLength;
          w.bytes += w.lastBytes;
          link.send(packed, transfer);
          return;
        }
        link.send(message, transfer);
      },
      onMessage: (listener) =>
        link.onMessage((message) => {
          const m = message as {
            k?: unknown;
            gradient?: { bits?: unknown };
            times?: { received?: unknown; sent?: unknown };
          };
          if (m?.k === "gradient") {
            const w = this.#weights;
            w.gradients++;
            w.lastGradientBytes = gradientPayloadBytes(m.gradient);
            w.gradientBytes += w.lastGradientBytes;
            const bits = m.gradient?.bits;
            w.lastGradientBits = bits === 32 || bits === 16 || bits === 8 ? bits : 0;
          }
          const away = Number(m?.times?.sent) - Number(m?.times?.received);
          if (m?.k === "gradient" && sentAt > 0 && Number.isFinite(away)) {
            this.roundTrips.push(performance.now() - sentAt - away);
            if (this.roundTrips.length > 2000) this.roundTrips.splice(0, 1000);
            sentAt = 0;
          }
          listener(message);
        }),
      onClose: (listener) => link.onClose(listener),
      close: (reason) => link.close(reason),
    };
  }

  /** Quantizes a version's weights once for every device that gets them. */
  #pack(step: Extract<ToMember, { k: "step" }>): RoomStep {
    const bits = this.#weights.bits;
    const cached = this.#packed;
    if (cached?.version === step.version && cached.bits === bits && "weights" in cached.step) {
      const { params: _params, ...rest } = step;
      return { ...rest, weights: cached.step.weights };
    }
    const packed = packWeights(step, bits);
    this.#packed = { version: step.version, bits, step: packed };
    return packed;
  }

  #rejected(rank: number, reason: string): void {
    const slot = this.#slots[rank];
    if (!slot || slot.memberId === null || slot.rejected || slot.gone) return;
    slot.rejected = `rejected: ${reason}`;
    this.#event("rejected", slot, `#${slot.memberId} rejected: ${reason}`);
    this.#room?.remove(slot.memberId, `rejected: ${reason}`.slice(0, 100));
    this.coordinator.detach(rank, slot.rejected);
  }

  #event(kind: ClusterEventKind, slot: Slot, label: string): void {
    this.events.push({ time: this.coordinator.elapsed, kind, rank: slot.rank, label });
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stopRoom();
    this.#resettle.clear();
    this.stopLocal();
  }
}
