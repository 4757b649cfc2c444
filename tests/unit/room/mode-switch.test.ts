/**
 * What happens to gradients caught by a switch between synchronous and asynchronous training.
 * One device is driven by hand (it answers when the test says, with a loss that marks its
 * gradient in the history); this browser's in-process worker trains beside it.
 *
 * - Asynchronous → synchronous: a gradient that arrived but was not yet applied when the switch
 *   came is dropped (counted as discarded), not kept for the next asynchronous period, where it
 *   would be applied as if fresh though a whole synchronous period old.
 * - Synchronous → asynchronous: gradients of the unfinished step were computed from the current
 *   weights; they are applied (staleness 0), not thrown away.
 * - After the switch to synchronous, a device still busy with its asynchronous step is sent each
 *   synchronous step once, not twice: its stale gradient does not make the step think it idle.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { parameterCount } from "../../../src/ml/distributed/mlp.ts";
import type { Link } from "../../../src/ml/distributed/transport.ts";
import type { MemberInfo } from "../../../src/room/protocol.ts";
import { RoomTraining, type MemberSource } from "../../../src/room/room-training.ts";
import { syntheticDigits } from "../support/synthetic-digits.ts";
import { localMember } from "./fake-room.ts";

const data = syntheticDigits(400);
const BATCH = 16;
/** the hand-driven device's loss: a history record with it holds that gradient alone */
const MARK = 42;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

interface StepSent {
  step: number;
  version: number;
  /** examples it was sent (several batches, once the room measured its round trip) */
  count: number;
}

/** A device whose every answer the test makes; `auto` answers each step a moment after it. */
class HandDevice implements MemberSource {
  readonly sent: StepSent[] = [];
  readonly pending: StepSent[] = [];
  auto = true;
  #deliver: (message: unknown) => void = () => {};
  #timer: ReturnType<typeof setInterval>;

  constructor() {
    this.#timer = setInterval(() => {
      if (this.auto && this.pending.length > 0) this.answer(1);
    }, 3);
  }

  onMember(listener: (member: MemberInfo, link: Link) => void): () => void {
    const link: Link = {
      send: (message) => {
        const m = message as { k: string; step: number; version: number; indices: Int32Array };
        if (m.k !== "step") return;
        const step = { step: m.step, version: m.version, count: m.indices.length };
        this.sent.push(step);
        this.pending.push(step);
      },
      onMessage: (l) => {
        this.#deliver = l;
        return () => {};
      },
      onClose: () => () => {},
      close: () => {},
    };
    listener(
      {
        id: 7,
        device: { name: "Hand", kind: "phone", backend: "cpu", cores: 1 },
        joinedAt: 0,
        resumed: false,
      },
      link,
    );
    this.#deliver({ k: "ready", backend: "cpu", examples: data.count });
    return () => {};
  }

  remove(): void {}

  /** Answers its oldest step in hand, as a member does (one at a time, in order). */
  answer(loss: number): StepSent {
    const step = this.pending.shift()!;
    const now = performance.timeOrigin + performance.now();
    this.#deliver({
      k: "gradient",
      step: step.step,
      version: step.version,
      loss,
      count: step.count,
      gradient: { bits: 32, data: new Float32Array(parameterCount()) },
      times: { received: now, computed: now, sent: now },
    });
    return step;
  }

  dispose(): void {
    clearInterval(this.#timer);
  }
}

function setup(mode: "sync" | "async") {
  const t = new RoomTraining({
    local: 1,
    devices: 1,
    examples: data.count,
    config: { batchPerWorker: BATCH, timeoutMs: 10_000, mode },
    spawnLocal: () => localMember(tf, data),
  });
  const device = new HandDevice();
  t.useRoom(device);
  const controller = new AbortController();
  const running = t.run(controller.signal);
  const stop = async () => {
    controller.abort();
    await running;
    device.dispose();
    t.dispose();
  };
  return { t, device, stop };
}

const marked = (t: RoomTraining) => t.history.filter((r) => r.loss === MARK);

describe("gradients caught by a mode switch", () => {
  it("asynchronous → synchronous: one that arrived with the switch is dropped, never applied later", async () => {
    const { t, device, stop } = setup("async");
    await until(() => t.coordinator.step >= 10, "asynchronous steps");
    device.auto = false;
    await until(() => device.pending.length > 0, "a step in the device's hands");
    const discarded = t.coordinator.discarded;
    // the gradient arrives and the presenter switches in the same moment: it is queued, unapplied
    device.answer(MARK);
    t.setMode("sync");
    device.auto = true;
    const switched = t.coordinator.step;
    await until(() => t.coordinator.step >= switched + 15, "synchronous steps");
    t.setMode("async");
    const back = t.coordinator.step;
    await until(() => t.coordinator.step >= back + 15, "asynchronous steps again");
    await stop();
    expect(marked(t)).toEqual([]);
    expect(t.coordinator.discarded).toBeGreaterThan(discarded);
  }, 30_000);

  it("synchronous → asynchronous: the unfinished step's gradients are applied, as fresh", async () => {
    const { t, device, stop } = setup("sync");
    await until(() => t.coordinator.step >= 5, "synchronous steps");
    device.auto = false;
    await until(() => device.pending.length > 0, "a step in the device's hands");
    const discarded = t.coordinator.discarded;
    // the device answers the step; the presenter switches before the worker has answered it
    const answered = device.answer(MARK);
    expect(answered.step).toBe(t.coordinator.step);
    t.setMode("async");
    device.auto = true;
    await until(() => marked(t).length > 0, "the device's gradient applied");
    await stop();
    expect(marked(t).map((r) => r.staleness)).toEqual([0]);
    expect(t.coordinator.discarded).toBe(discarded);
  }, 30_000);

  it("after the switch to synchronous, a device busy with its asynchronous step gets each step once", async () => {
    const { t, device, stop } = setup("async");
    await until(() => t.coordinator.step >= 10, "asynchronous steps");
    device.auto = false;
    await until(() => device.pending.length > 0, "a step in the device's hands");
    t.setMode("sync");
    // the local worker goes on alone until the device answers; its step is then stale
    await until(() => device.pending.length > 1, "a synchronous step sent to the device");
    device.auto = true;
    const from = device.sent.length;
    const switched = t.coordinator.step;
    await until(() => t.coordinator.step >= switched + 20, "synchronous steps");
    await stop();
    const steps = device.sent.slice(from).map((s) => s.step);
    const twice = steps.filter((s, i) => steps.indexOf(s) !== i);
    expect(twice.length, `steps sent again: ${twice.join(", ")}`).toBeLessThanOrEqual(1);
  }, 30_000);
});
