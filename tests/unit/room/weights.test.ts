/**
 * Weights to devices at 16 bits: the step message as packed by the presenter and unpacked by a
 * device, through the room's real binary framing; malformed weights refused with a reason; and
 * training whose loss does not notice. Also the synchronous/asynchronous switch of a room's
 * training, with the staleness it shows.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initialParameters, layout, parameterCount } from "../../../src/ml/distributed/mlp.ts";
import type { ToMember } from "../../../src/ml/distributed/protocol.ts";
import { quantize, errorBound, type Quantized } from "../../../src/ml/quantize/affine.ts";
import { decodeFrame, encodeFrame } from "../../../src/room/framing.ts";
import { RoomTraining } from "../../../src/room/room-training.ts";
import { packWeights, unpackWeights, weightBytes } from "../../../src/room/weights.ts";
import { syntheticDigits } from "../support/synthetic-digits.ts";
import { FakeRoom, localMember } from "./fake-room.ts";

type Step = Extract<ToMember, { k: "step" }>;

const step = (params = initialParameters(3)): Step => ({
  k: "step",
  step: 7,
  version: 7,
  params,
  indices: Int32Array.from([1, 2, 3]),
  sentAt: 12.5,
});

const LIMITS = { maxFrameBytes: 32 * 1024 * 1024, maxHeaderBytes: 16 * 1024 };

describe("weights at 16 bits", () => {
  it("take half the bytes and come back within half a quantization step of each tensor", () => {
    const message = step();
    const packed = packWeights(message, 16);
    expect("params" in packed).toBe(false);
    const values = parameterCount();
    // two bytes a value, and a min and a scale (float32) for each of the four tensors
    expect(weightBytes(packed)).toBe(values * 2 + 4 * 8);
    expect(weightBytes(message)).toBe(values * 4);

    // across the room: framed, relayed as bytes, decoded on the device
    const frame = encodeFrame(4, packed);
    const floatFrame = encodeFrame(4, message);
    console.log(
      `a step's frame: ${floatFrame.byteLength} bytes at 32 bits, ${frame.byteLength} at 16`,
    );
    expect(frame.byteLength).toBeLessThan(floatFrame.byteLength * 0.51);
    const decoded = decodeFrame(frame.slice().buffer, LIMITS);
    expect(decoded.ok).toBe(true);
    const back = unpackWeights((decoded as { message: unknown }).message) as Step;
    expect(back).toMatchObject({ k: "step", step: 7, version: 7, sentAt: 12.5 });
    expect(Array.from(back.indices)).toEqual([1, 2, 3]);
    expect(back.params).toBeInstanceOf(Float32Array);
    expect(back.params.length).toBe(values);
    for (const s of layout()) {
      const bound = errorBound(quantize(message.params.subarray(s.offset, s.offset + s.size), 16));
      let worst = 0;
      for (let i = s.offset; i < s.offset + s.size; i++) {
        worst = Math.max(worst, Math.abs(back.params[i]! - message.params[i]!));
      }
      expect(worst).toBeLessThanOrEqual(bound);
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it("at 32 bits the step is sent as it is; other messages pass a device untouched", () => {
    const message = step();
    expect(packWeights(message, 32)).toBe(message);
    expect(unpackWeights(message)).toBe(message);
    const settings = { k: "settings", bits: 8, errorFeedback: false, slowdown: 1 };
    expect(unpackWeights(settings)).toBe(settings);
    expect(unpackWeights(null)).toBe(null);
  });

  const packed = () =>
    packWeights(step(), 16) as Omit<Step, "params"> & {
      weights: { bits: 16; parts: Quantized[] };
    };
  it.each<[string, () => unknown, RegExp]>([
    ["params and weights both", () => ({ ...packed(), params: new Float32Array(3) }), /both/],
    [
      "weights at 8 bits",
      () => ({ ...packed(), weights: { ...packed().weights, bits: 8 } }),
      /16 bits/,
    ],
    [
      "weights at 32 bits",
      () => ({ ...packed(), weights: { bits: 32, data: new Float32Array(3) } }),
      /16 bits/,
    ],
    [
      "three tensors of four",
      () => {
        const p = packed();
        return { ...p, weights: { bits: 16, parts: p.weights.parts.slice(1) } };
      },
      /weights: a gradient must be sent|weights:/,
    ],
    [
      "a tensor of the wrong size",
      () => {
        const p = packed();
        p.weights.parts[0]!.values = new Uint16Array(5);
        return p;
      },
      /weights: part w1 of a 16-bit step is malformed/,
    ],
    [
      "bytes instead of 16-bit integers",
      () => {
        const p = packed();
        p.weights.parts[2]!.values = new Uint8Array(p.weights.parts[2]!.values.length);
        return p;
      },
      /part w2/,
    ],
    [
      "a NaN offset",
      () => {
        const p = packed();
        p.weights.parts[1]!.min[0] = NaN;
        return p;
      },
      /NaN or infinite/,
    ],
    ["no weights at all", () => ({ ...packed(), weights: null }), /16 bits/],
  ])("%s: refused", (_name, make, reason) => {
    expect(() => unpackWeights(make())).toThrow(reason);
  });
});

const data = syntheticDigits(400);

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(5);
  }
}

function roomTraining(local: number, weightBits: 32 | 16, mode: "sync" | "async" = "sync") {
  const t = new RoomTraining({
    local,
    devices: 2,
    examples: data.count,
    weightBits,
    // one batch a step, whatever the timing: the two runs must draw the same batches
    config: { batchPerWorker: 16, timeoutMs: 10_000, mode, trips: undefined },
    spawnLocal: () => localMember(tf, data),
  });
  const room = new FakeRoom(tf, data);
  t.useRoom(room);
  room.join(1);
  room.join(2);
  return t;
}

describe("training with 16-bit weights on the devices", () => {
  it("follows the float32 run's loss step for step, with half the bytes", async () => {
    const runs: Record<number, { losses: number[]; bytes: number; steps: number }> = {};
    for (const bits of [32, 16] as const) {
      const t = roomTraining(0, bits);
      await until(() => t.rows().filter((r) => r.state === "training").length === 2);
      const controller = new AbortController();
      const running = t.run(controller.signal);
      await until(() => t.coordinator.step >= 30);
      controller.abort();
      await running;
      const w = t.weightTraffic;
      runs[bits] = {
        losses: t.history.slice(0, 30).map((r) => r.loss),
        bytes: w.bytes,
        steps: w.steps,
      };
      expect(w.bits).toBe(bits);
      expect(w.lastFloatBytes).toBe(parameterCount() * 4);
      t.dispose();
    }
    const [float, half] = [runs[32]!, runs[16]!];
    // the same batches, the same order: only the devices' weights differ, by < 10⁻⁴
    let worst = 0;
    float.losses.forEach((loss, i) => (worst = Math.max(worst, Math.abs(loss - half.losses[i]!))));
    console.log(
      `30 steps, 2 devices: loss ${float.losses[0]!.toFixed(4)} → ${float.losses[29]!.toFixed(4)} (float32 weights), ${half.losses[29]!.toFixed(4)} (16-bit); largest difference ${worst.toExponential(2)}; weight bytes a step ${float.bytes / float.steps} → ${half.bytes / half.steps}`,
    );
    expect(worst).toBeLessThan(1e-3);
    expect(half.losses[29]!).toBeLessThan(half.losses[0]! * 0.8);
    expect(half.bytes / half.steps).toBeLessThan((float.bytes / float.steps) * 0.51);
  }, 60_000);
});

describe("switching between synchronous and asynchronous training", () => {
  it("async gradients show their staleness; back in sync, none; the switches are marked", async () => {
    const t = roomTraining(1, 16);
    const controller = new AbortController();
    const running = t.run(controller.signal);
    await until(() => t.coordinator.step >= 5);
    expect(t.history.every((r) => r.staleness === 0)).toBe(true);

    t.setMode("async");
    const switched = t.coordinator.step;
    await until(() => t.coordinator.step >= switched + 40);
    const asyncRecords = t.history.slice(switched);
    expect(Math.max(...asyncRecords.map((r) => r.staleness))).toBeGreaterThanOrEqual(1);
    expect(t.mode).toBe("async");
    // each member's last gradient's staleness, on its row
    await until(() => t.rows().some((r) => r.staleness > 0));

    t.setMode("sync");
    const back = t.coordinator.step;
    await until(() => t.coordinator.step >= back + 10);
    controller.abort();
    await running;
    // the first sync step may still take a gradient that was on its way; after it, none is stale
    expect(t.history.slice(back + 1).every((r) => r.staleness === 0)).toBe(true);
    expect(t.rows().every((r) => r.staleness === 0)).toBe(true);
    expect(t.rows().map((r) => r.state)).toEqual(["training", "training", "training"]);
    expect(t.events.filter((e) => e.kind === "mode").map((e) => e.label)).toEqual([
      "asynchronous from here",
      "synchronous from here",
    ]);
    expect(t.params.every(Number.isFinite)).toBe(true);
    const mean = (rs: { loss: number }[]) => rs.reduce((s, r) => s + r.loss, 0) / rs.length;
    expect(mean(t.history.slice(-5))).toBeLessThan(mean(t.history.slice(0, 5)));
    t.dispose();
  }, 60_000);
});
