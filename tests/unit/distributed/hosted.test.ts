/**
 * The coordinator hosted away from the page (a worker in the browser; here the other end of a
 * MessageChannel): members reach it over ports of their own, the page only mirrors snapshots.
 * The run is the same run: a disposed run's last checkpoint equals one worker trained on the
 * same global batches, and a killed member neither stops training nor loses the weights.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { syntheticDigits } from "../support/synthetic-digits.ts";
import { MemoryCheckpoints, type SpawnedMember } from "../../../src/ml/distributed/cluster.ts";
import { serveCoordinator } from "../../../src/ml/distributed/coordinator-host.ts";
import {
  DEFAULT_CONFIG,
  onOurClock,
  type StepRecord,
  type TrainingConfig,
} from "../../../src/ml/distributed/coordinator.ts";
import { HostedCluster } from "../../../src/ml/distributed/hosted-cluster.ts";
import { gather, serveMember } from "../../../src/ml/distributed/member.ts";
import {
  applyGradient,
  initialParameters,
  lossAndGradient,
} from "../../../src/ml/distributed/mlp.ts";
import { portLink } from "../../../src/ml/distributed/port-link.ts";
import { batchIndices, shards } from "../../../src/ml/distributed/shards.ts";
import type { Link } from "../../../src/ml/distributed/transport.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const data = syntheticDigits(240);
const ports: MessagePort[] = [];

/** A member served in this process; it only answers once given a port, as a worker does. */
function spawn(): SpawnedMember {
  const unused: Link = {
    send() {},
    onMessage: () => () => {},
    onClose: () => () => {},
    close() {},
  };
  let member: Link | undefined;
  return {
    link: unused,
    connect() {
      const channel = new MessageChannel();
      member = portLink(channel.port1);
      ports.push(channel.port1, channel.port2);
      void serveMember({ tf, link: member, data, backend: "cpu" });
      return channel.port2;
    },
    // the member ends from its own side, as a terminated worker does (a ring it is in stops with
    // it); silent: the host finds out by its timeout
    kill: () => member?.close("killed"),
    dispose: () => member?.close("disposed"),
  };
}

function host(): Link {
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  void serveCoordinator(portLink(channel.port2), { snapshotMs: 20, checkpointMs: 100 });
  return portLink(channel.port1);
}

async function until(done: () => boolean, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

function start(config: TrainingConfig, store = new MemoryCheckpoints()) {
  const history: StepRecord[] = [];
  const cluster = new HostedCluster({
    config,
    examples: data.count,
    spawn,
    store,
    key: "k",
    history,
    seed: 9,
    host,
  });
  const running = cluster.run();
  return { cluster, history, store, running };
}

describe("a coordinator hosted in another worker", () => {
  it.each([
    ["ps", false],
    ["ring", false],
    ["ring", true],
  ] as const)(
    "(%s, member to member: %s) ends with the parameters of one worker on the same global batches",
    async (aggregation, direct) => {
      const config: TrainingConfig = {
        ...DEFAULT_CONFIG,
        aggregation,
        direct,
        workers: 2,
        batchPerWorker: 8,
        learningRate: 0.2,
      };
      const { cluster, history, store, running } = start(config);
      await until(() => history.length >= 4);
      cluster.dispose();
      await running;
      const saved = store.load("k")!;
      expect(saved.step).toBeGreaterThanOrEqual(4);
      // the page heard of every step, in order
      expect(history.map((h) => h.step)).toEqual(
        Array.from({ length: saved.step }, (_, i) => i + 1),
      );
      expect(cluster.coordinator.activity.length).toBeGreaterThan(0);

      const reference = initialParameters(9);
      const parts = shards(data.count, 2);
      for (let s = 0; s < saved.step; s++) {
        const indices = Int32Array.from(
          parts.flatMap((shard) => [...batchIndices(shard, s, 8, 9)]),
        );
        const { gradient } = await lossAndGradient(tf, reference, gather(data, indices));
        applyGradient(reference, gradient, 0.2);
      }
      let worst = 0;
      for (let i = 0; i < reference.length; i++) {
        worst = Math.max(worst, Math.abs(reference[i]! - saved.params[i]!));
      }
      expect(worst).toBeLessThan(1e-5);
    },
    30_000,
  );

  it.each([false, true])(
    "goes on without a killed member, and takes it back after a restart (ring member to member: %s)",
    async (direct) => {
      const config: TrainingConfig = {
        ...DEFAULT_CONFIG,
        ...(direct ? { aggregation: "ring" as const, direct } : {}),
        workers: 2,
        batchPerWorker: 8,
        timeoutMs: 200,
      };
      const { cluster, history, running } = start(config);
      await until(() => history.length >= 3);
      cluster.kill(1);
      // steps already under way still arrive: count from when the timeout found the dead one
      await until(() => cluster.coordinator.members[1]?.phase === "timed out");
      expect(cluster.coordinator.members[1]!.phase).toBe("timed out");
      const at = history.length;
      await until(() => history.length >= at + 5);
      expect(history.length).toBeGreaterThanOrEqual(at + 5);
      // the last steps are one member's batch each: the step went on without the dead one
      const last = history.slice(-3);
      expect(last[2]!.examples - last[0]!.examples).toBe(2 * 8);
      cluster.restart(1);
      await until(
        () =>
          cluster.coordinator.members[1]?.phase === "ready" &&
          cluster.coordinator.members[1].steps > 0,
      );
      expect(cluster.coordinator.members[1]!.steps).toBeGreaterThan(0);
      cluster.dispose();
      await running;
      for (const port of ports.splice(0)) port.close();
    },
    30_000,
  );
});

describe("a run that waits for a dead member (onTimeout: wait)", () => {
  it.each([false, true])(
    "still waits for it when paused and resumed from its checkpoint, until it is restarted (ring member to member: %s)",
    async (direct) => {
      const config: TrainingConfig = {
        ...DEFAULT_CONFIG,
        ...(direct ? { aggregation: "ring" as const, direct } : {}),
        workers: 2,
        batchPerWorker: 8,
        timeoutMs: 200,
        onTimeout: "wait",
      };
      const first = start(config);
      await until(() => first.history.length >= 3);
      first.cluster.kill(1);
      await until(() => first.cluster.coordinator.members[1]?.phase === "timed out");
      expect(first.cluster.coordinator.members[1]!.phase).toBe("timed out");
      // paused (the demo disposes its cluster; so does leaving the slide)
      first.cluster.dispose();
      await first.running;
      const saved = first.store.load("k")!;
      expect(saved.awaiting).toEqual([1]);

      // resumed: the dead worker stays dead, and the run waits for it
      const second = start(config, first.store);
      expect(second.cluster.isAlive(0)).toBe(true);
      expect(second.cluster.isAlive(1)).toBe(false);
      await new Promise((r) => setTimeout(r, 800));
      expect(second.history.length).toBe(0);
      second.cluster.restart(1);
      await until(() => second.history.length >= 3);
      expect(second.history.length).toBeGreaterThanOrEqual(3);
      // both members' batches again
      const last = second.history.slice(-2);
      expect(last[1]!.examples - last[0]!.examples).toBe(2 * 8);
      second.cluster.dispose();
      await second.running;
      expect(second.store.load("k")!.awaiting).toBeUndefined();
      for (const port of ports.splice(0)) port.close();
    },
    30_000,
  );
});

describe("a member's times on the coordinator's clock", () => {
  const wall = (page: number) => page + performance.timeOrigin;
  it("are kept where they fit between the send and the arrival", () => {
    const t = onOurClock({ received: wall(102), computed: wall(110), sent: wall(111) }, 100, 115);
    expect(t.received).toBeCloseTo(102, 6);
    expect(t.sent).toBeCloseTo(111, 6);
  });
  it("from a clock ten seconds off, keep their durations inside the round trip", () => {
    for (const skew of [-10_000, 10_000]) {
      const times = {
        received: wall(102 + skew),
        computed: wall(110 + skew),
        sent: wall(111 + skew),
      };
      const t = onOurClock(times, 100, 115);
      expect(t.sent - t.received).toBeCloseTo(9, 6);
      expect(t.received).toBeCloseTo(103, 6); // (15 − 9) / 2 after the send
    }
  });
});
