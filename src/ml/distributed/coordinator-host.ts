/**
 * The coordinator away from the page: `serveCoordinator` runs a Coordinator behind a Link (a Web
 * Worker's port, or one end of a MessageChannel in Node tests). The members' own links are
 * MessagePorts handed to it, so a training step goes member → coordinator → member without the
 * page's main thread, which only receives a snapshot of the run a few times a second to draw.
 * On the page a busy frame (charts, the timeline) would otherwise hold up every step's barrier.
 *
 * The page's messages are trusted (it started this worker); the members' are validated by the
 * Coordinator as ever.
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
import { portLink } from "./port-link.ts";
import type { Link } from "./transport.ts";

export type ToHost =
  | {
      k: "start";
      config: TrainingConfig;
      examples: number;
      checkpoint: Checkpoint;
      seed: number;
    }
  /** `port` carries the member's messages from now on (a restart replaces the old one) */
  | { k: "attach"; rank: number; port: MessagePort; slowdown: number }
  | { k: "detach"; rank: number; reason: string }
  | { k: "slowdown"; rank: number; factor: number }
  /** ends the run; the host answers with a final snapshot holding the checkpoint */
  | { k: "stop" };

export interface Snapshot {
  k: "snapshot";
  /** step records since the last snapshot */
  history: StepRecord[];
  /** activities since the last snapshot, times on the wall clock (performance.timeOrigin + ms) */
  activity: Activity[];
  members: MemberState[];
  traffic: Traffic;
  discarded: number;
  breakdown: Breakdown;
  /** every `checkpointMs`, and in the final snapshot */
  checkpoint?: Checkpoint;
  final: boolean;
}

export type FromHost = Snapshot | { k: "error"; message: string };

export interface HostOptions {
  /** how often the page hears of the run */
  snapshotMs?: number;
  /** how often a snapshot carries the parameters (for the page's checkpoint store) */
  checkpointMs?: number;
}

/** Serves one run on `link` until a stop arrives or the link closes. */
export function serveCoordinator(link: Link, options: HostOptions = {}): Promise<void> {
  const snapshotMs = options.snapshotMs ?? 150;
  const checkpointMs = options.checkpointMs ?? 1000;
  const controller = new AbortController();
  const members = new Map<number, Link>();
  let coordinator: Coordinator | undefined;
  let running: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | undefined;
  let sentHistory = 0;
  let sentActivity = 0;
  let checkpointedAt = -Infinity;
  const origin = performance.timeOrigin;

  const snapshot = (c: Coordinator, final: boolean): Snapshot => {
    const history = c.history.slice(sentHistory);
    sentHistory = c.history.length;
    const fresh = Math.min(c.activity.length, c.recorded - sentActivity);
    sentActivity = c.recorded;
    const activity = c.activity
      .slice(c.activity.length - fresh)
      .map((a) => ({ ...a, start: a.start + origin, end: a.end + origin }));
    const due = final || performance.now() - checkpointedAt >= checkpointMs;
    if (due) checkpointedAt = performance.now();
    return {
      k: "snapshot",
      history,
      activity,
      members: c.members,
      traffic: { ...c.traffic },
      discarded: c.discarded,
      breakdown: c.breakdown(),
      ...(due ? { checkpoint: c.checkpoint() } : {}),
      final,
    };
  };
  const post = (final: boolean) => {
    if (!coordinator) return;
    const s = snapshot(coordinator, final);
    link.send(s, s.checkpoint ? [s.checkpoint.params.buffer] : []);
  };
  const fail = (error: unknown) =>
    link.send({
      k: "error",
      message: error instanceof Error ? error.message : String(error),
    } satisfies FromHost);

  return new Promise<void>((resolve) => {
    const end = () => {
      controller.abort();
      clearInterval(timer);
      for (const member of members.values()) member.close("the run ended");
      members.clear();
      offMessage();
      offClose();
      resolve();
    };
    const offClose = link.onClose(end);
    const offMessage = link.onMessage((raw) => {
      const m = raw as ToHost;
      try {
        if (m?.k === "start" && !coordinator) {
          coordinator = new Coordinator(m.config, m.examples, m.checkpoint, m.seed);
          running = coordinator.run(controller.signal).catch(fail);
          timer = setInterval(() => post(false), snapshotMs);
        } else if (m?.k === "attach" && coordinator) {
          members.get(m.rank)?.close("replaced");
          const member = portLink(m.port);
          members.set(m.rank, member);
          coordinator.attach(m.rank, member, m.slowdown);
        } else if (m?.k === "detach" && coordinator) {
          coordinator.detach(m.rank, m.reason);
          members.get(m.rank)?.close(m.reason);
          members.delete(m.rank);
        } else if (m?.k === "slowdown" && coordinator) {
          coordinator.setSlowdown(m.rank, m.factor);
        } else if (m?.k === "stop") {
          controller.abort();
          void running.then(() => {
            post(true);
            end();
          });
        }
      } catch (error) {
        fail(error);
      }
    });
  });
}
