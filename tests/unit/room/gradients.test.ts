/**
 * Gradients from devices at 16 bits: a member's gradient encoded as the device's worker does,
 * framed and relayed as bytes, decoded by the deck within half a quantization step of each
 * tensor and at half the bytes; malformed quantized payloads refused with a reason; and, in a
 * room's training, devices told the room's bits, their bytes counted, and a device sending any
 * of those malformed payloads rejected and marked while the others train on.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { layout, parameterCount } from "../../../src/ml/distributed/mlp.ts";
import {
  allFinite,
  decodeGradient,
  GradientEncoder,
  wireSize,
  type WireGradient,
} from "../../../src/ml/distributed/wire.ts";
import { errorBound, quantize, type Quantized } from "../../../src/ml/quantize/affine.ts";
import { decodeFrame, encodeFrame } from "../../../src/room/framing.ts";
import { RoomTraining } from "../../../src/room/room-training.ts";
import { gradientPayloadBytes } from "../../../src/room/weights.ts";
import { syntheticDigits } from "../support/synthetic-digits.ts";
import { FakeRoom, localMember } from "./fake-room.ts";

const SEGMENTS = layout();
const LIMITS = { maxFrameBytes: 4 * 1024 * 1024, maxHeaderBytes: 16 * 1024 };

/** a gradient-like vector: each tensor with its own range, as a real gradient's are */
function gradient(seed = 1): Float32Array {
  const g = new Float32Array(parameterCount());
  let x = seed;
  SEGMENTS.forEach((s, k) => {
    for (let i = s.offset; i < s.offset + s.size; i++) {
      x = (x * 16807) % 2147483647;
      g[i] = ((x / 2147483647) * 2 - 1) * 10 ** -(k + 1);
    }
  });
  return g;
}

/** what the deck receives: framed by the device, relayed as bytes, decoded */
function acrossTheRoom(message: unknown): unknown {
  const decoded = decodeFrame(encodeFrame(3, message).slice().buffer, LIMITS);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.message;
}

const encode16 = (g = gradient()) =>
  new GradientEncoder().encode(g, SEGMENTS, 16, false) as { bits: 16; parts: Quantized[] };

/** The deck's checks on a gradient, in the coordinator's order: decoded, then finite. */
function check(wire: unknown): Float32Array {
  const values = decodeGradient(wire, SEGMENTS);
  if (!allFinite(values)) throw new TypeError("a gradient with NaN or infinite values");
  return values;
}

describe("a device's gradient at 16 bits", () => {
  it("crosses the room at half the bytes and comes back within half a step of each tensor", () => {
    const g = gradient();
    const wire = encode16(g);
    const values = parameterCount();
    expect(wireSize(wire)).toBe(values * 2 + SEGMENTS.length * 8);
    expect(gradientPayloadBytes(wire)).toBe(wireSize(wire));
    const float = { bits: 32 as const, data: g };
    expect(gradientPayloadBytes(float)).toBe(values * 4);
    const message = (gradient: WireGradient) => ({
      k: "gradient",
      step: 4,
      version: 4,
      loss: 2.3,
      count: 16,
      gradient,
      times: { received: 1, computed: 2, sent: 3 },
    });
    const frame16 = encodeFrame(3, message(wire)).byteLength;
    const frame32 = encodeFrame(3, message(float)).byteLength;
    console.log(`a gradient's frame: ${frame32} bytes at 32 bits, ${frame16} at 16`);
    expect(frame16).toBeLessThan(frame32 * 0.51);

    const arrived = acrossTheRoom(message(wire)) as { gradient: unknown };
    const back = check(arrived.gradient);
    for (const s of SEGMENTS) {
      const bound = errorBound(quantize(g.subarray(s.offset, s.offset + s.size), 16));
      let worst = 0;
      for (let i = s.offset; i < s.offset + s.size; i++) {
        worst = Math.max(worst, Math.abs(back[i]! - g[i]!));
      }
      expect(worst).toBeLessThanOrEqual(bound);
    }
  });

  const part = (i: number, change: (q: Quantized) => unknown) => () => {
    const wire = encode16();
    return { ...wire, parts: wire.parts.map((q, k) => (k === i ? change(q) : q)) };
  };
  const malformed: [string, () => unknown, RegExp][] = [
    ["three tensors of four", () => ({ ...encode16(), parts: encode16().parts.slice(1) }), /bits/],
    ["no parts, float data", () => ({ bits: 16, data: gradient() }), /32, 16 or 8 bits/],
    ["at 12 bits", () => ({ ...encode16(), bits: 12 }), /32, 16 or 8 bits/],
    [
      "a tensor of the wrong size",
      part(0, (q) => ({ ...q, values: q.values.slice(1) })),
      /part w1 .* malformed/,
    ],
    [
      "bytes instead of 16-bit integers",
      part(1, (q) => ({ ...q, values: new Uint8Array(q.values.length) })),
      /part b1 .* malformed/,
    ],
    [
      "integers as a JSON list",
      part(3, (q) => ({ ...q, values: Array.from(q.values) })),
      /part b2 .* malformed/,
    ],
    [
      "per-channel scales it never asked for",
      part(2, (q) => ({ ...q, channels: 2, min: new Float32Array(2), scale: new Float32Array(2) })),
      /part w2 .* malformed/,
    ],
    ["no scale", part(2, (q) => ({ ...q, scale: undefined })), /part w2 .* malformed/],
    ["a NaN offset", part(0, (q) => ({ ...q, min: Float32Array.of(NaN) })), /NaN or infinite/],
    [
      "an infinite scale",
      part(1, (q) => ({ ...q, scale: Float32Array.of(Infinity) })),
      /NaN or infinite/,
    ],
  ];

  it.each(malformed)("%s: refused with a reason", (_name, make, reason) => {
    // framed and relayed first: what the deck checks is what a socket would deliver
    const arrived = acrossTheRoom({ gradient: make() }) as { gradient: unknown };
    expect(() => check(arrived.gradient)).toThrow(reason);
  });

  it("bytes are counted on anything, malformed or not, without throwing", () => {
    expect(gradientPayloadBytes(null)).toBe(0);
    expect(gradientPayloadBytes({ bits: 32, data: [1, 2] })).toBe(0);
    expect(
      gradientPayloadBytes({ bits: 16, parts: [null, 3, { values: new Uint16Array(4) }] }),
    ).toBe(8);
  });

  describe("in a room's training", () => {
    const data = syntheticDigits(400);
    beforeAll(async () => {
      await tf.setBackend("cpu");
    });

    async function trainUntil(t: RoomTraining, done: () => boolean, limitMs = 30_000) {
      const controller = new AbortController();
      const running = t.run(controller.signal);
      const end = Date.now() + limitMs;
      while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      await running;
    }

    it("devices send at the room's bits, counted; each malformed one is rejected and marked", async () => {
      const bad: [string, (g: WireGradient) => unknown, RegExp][] = [
        ...malformed.map(
          ([name, make, reason]) => [name, () => make(), reason] as [string, () => unknown, RegExp],
        ),
        // finite and well formed, but its norm is far over the room's limit
        [
          "a huge scale",
          (g) => {
            const q = g as { bits: 16; parts: Quantized[] };
            q.parts[0]!.scale[0] = 1e3;
            return q;
          },
          /norm .* over 1000/,
        ],
      ];
      const t = new RoomTraining({
        local: 1,
        devices: bad.length + 1,
        examples: data.count,
        config: { batchPerWorker: 16, timeoutMs: 2000 },
        spawnLocal: () => localMember(tf, data),
      });
      expect(t.weightTraffic.gradientBits).toBe(16);
      const room = new FakeRoom(tf, data);
      t.useRoom(room);
      room.join(1);
      await trainUntil(t, () => t.coordinator.step >= 3);
      let w = t.weightTraffic;
      expect(w.lastGradientBits).toBe(16);
      expect(w.lastGradientBytes).toBe(parameterCount() * 2 + SEGMENTS.length * 8);
      expect(w.gradientBytes).toBe(w.gradients * w.lastGradientBytes);

      bad.forEach(([, make], i) => room.join(100 + i, make));
      const at = t.coordinator.step;
      await trainUntil(
        t,
        () =>
          t.coordinator.step >= at + 5 &&
          t.rows().filter((r) => r.state === "rejected").length === bad.length,
      );
      const rows = t.rows();
      bad.forEach(([name, , reason], i) => {
        const row = rows.find((r) => r.memberId === 100 + i)!;
        expect(row.state, name).toBe("rejected");
        expect(row.problem, name).toMatch(reason);
      });
      expect(room.removed.map((r) => r.id).sort((a, b) => a - b)).toEqual(
        bad.map((_, i) => 100 + i),
      );
      const honest = rows.find((r) => r.memberId === 1)!;
      expect(honest.state).toBe("training");
      expect(t.params.every(Number.isFinite)).toBe(true);

      // float32 from here: the device is told, and its gradients double in size
      t.setGradientBits(32);
      const before = t.weightTraffic.gradients;
      await trainUntil(
        t,
        () => t.weightTraffic.gradients > before + 3 && t.weightTraffic.lastGradientBits === 32,
      );
      w = t.weightTraffic;
      expect(w.gradientBits).toBe(32);
      expect(w.lastGradientBits).toBe(32);
      expect(w.lastGradientBytes).toBe(parameterCount() * 4);
      expect(t.history.at(-1)!.loss).toBeLessThan(t.history[0]!.loss);
      t.dispose();
    }, 60_000);
  });
});
