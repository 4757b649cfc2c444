import { describe, expect, it } from "vitest";
import { dequantize, quantize } from "../../../src/ml/quantize/affine.ts";
import {
  decodeFrame,
  encodeFrame,
  inspectFrame,
  PREFIX_BYTES,
  setFramePeer,
} from "../../../src/room/framing.ts";

const LIMITS = { maxFrameBytes: 1 << 20, maxHeaderBytes: 16 * 1024 };

function decode(frame: Uint8Array) {
  const decoded = decodeFrame(frame, LIMITS);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded;
}

/** A frame whose header is `header` (any JSON) and whose body is `body` bytes. */
function handmade(header: unknown, bodyBytes = 0, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const bodyStart = Math.ceil((PREFIX_BYTES + json.length) / 8) * 8;
  const frame = new Uint8Array(bodyStart + bodyBytes);
  const view = new DataView(frame.buffer);
  view.setUint8(0, 0xfd);
  view.setUint8(1, 1);
  view.setUint8(2, 1);
  view.setUint32(4, 7, true);
  view.setUint32(8, json.length, true);
  frame.set(json, PREFIX_BYTES);
  return frame;
}

function reason(frame: Uint8Array, limits = LIMITS): string {
  const inspected = inspectFrame(frame, limits);
  return inspected.ok ? "accepted" : inspected.reason;
}

describe("binary framing", () => {
  it("round-trips nested messages with typed arrays of every kind", () => {
    const message = {
      type: "gradient",
      step: 12,
      loss: 0.25,
      tags: ["a", null, true],
      weights: new Float32Array([1.5, -2, 3.25]),
      wide: new Float64Array([Math.PI]),
      layers: [{ kernel: new Int8Array([-128, 0, 127]) }, { kernel: new Uint16Array([65535, 1]) }],
      ints: new Int32Array([-1, 2 ** 31 - 1]),
      uints: new Uint32Array([2 ** 32 - 1]),
      shorts: new Int16Array([-32768]),
      bytes: new Uint8Array([0, 255, 7]),
      empty: new Float32Array(0),
    };
    const { peer, message: back } = decode(encodeFrame(42, message));
    expect(peer).toBe(42);
    expect(back).toEqual(message);
    const typed = back as typeof message;
    expect(typed.weights).toBeInstanceOf(Float32Array);
    expect(typed.layers[1]!.kernel).toBeInstanceOf(Uint16Array);
  });

  it("keeps NaN and ±Infinity, which JSON cannot hold, and drops undefined like JSON", () => {
    const { message } = decode(
      encodeFrame(1, {
        loss: NaN,
        bounds: [-Infinity, Infinity, 2],
        gone: undefined,
        list: [undefined],
      }),
    );
    expect(message).toEqual({ loss: NaN, bounds: [-Infinity, Infinity, 2], list: [null] });
    expect(Object.hasOwn(message as object, "gone")).toBe(false);
  });

  it("sends a typed array or a number at the root", () => {
    expect(decode(encodeFrame(1, new Float32Array([1, 2]))).message).toEqual(
      new Float32Array([1, 2]),
    );
    expect(decode(encodeFrame(1, NaN)).message).toBeNaN();
    expect(decode(encodeFrame(1, "text")).message).toBe("text");
  });

  it("views received arrays in place where aligned, copies where not", () => {
    const frame = encodeFrame(1, { a: new Uint8Array([1, 2, 3]), b: new Float64Array([2.5]) });
    const inPlace = decode(frame).message as { a: Uint8Array; b: Float64Array };
    expect(inPlace.b.buffer).toBe(frame.buffer);
    // The same bytes one byte into a bigger buffer: the Float64Array cannot view them.
    const shifted = new Uint8Array(frame.byteLength + 1);
    shifted.set(frame, 1);
    const copied = decode(shifted.subarray(1)).message as { b: Float64Array };
    expect(copied.b).toEqual(new Float64Array([2.5]));
    expect(copied.b.buffer).not.toBe(shifted.buffer);
  });

  it("sends an 8-bit gradient as one byte a value, not as JSON numbers", () => {
    const gradient = Float32Array.from({ length: 100_000 }, (_, i) => Math.sin(i) * 1e-3);
    const q = quantize(gradient, 8);
    const frame = encodeFrame(3, { type: "gradient", step: 1, q });
    // 100 000 bytes of values, min and scale, and a header of well under a kilobyte
    expect(frame.byteLength).toBeGreaterThan(100_000);
    expect(frame.byteLength).toBeLessThan(100_000 + 1024);
    const back = decode(frame).message as { q: typeof q };
    expect(back.q.values).toBeInstanceOf(Uint8Array);
    const [sent, received] = [dequantize(q), dequantize(back.q)];
    expect(received.every((x, i) => x === sent[i])).toBe(true);
    // the same values as JSON numbers would take several times the bytes
    expect(JSON.stringify(Array.from(q.values)).length).toBeGreaterThan(3 * 100_000);
  });

  it("refuses to encode what is not data, naming where it is", () => {
    expect(() => encodeFrame(1, { f: () => 1 })).toThrow(/function at f/);
    expect(() => encodeFrame(1, { m: new Map() })).toThrow(/Map at m/);
    expect(() => encodeFrame(1, { d: [new Date()] })).toThrow(/Date at d\.0/);
    expect(() => encodeFrame(1, { n: 1n })).toThrow(/bigint/);
    expect(() => encodeFrame(1, new DataView(new ArrayBuffer(4)))).toThrow(/DataView/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => encodeFrame(1, cycle)).toThrow(/deeper than/);
  });

  it("lets the server stamp the sender without touching the rest", () => {
    const frame = encodeFrame(999, { x: new Float32Array([1]) });
    setFramePeer(frame, 5);
    const { peer, message } = decode(frame);
    expect(peer).toBe(5);
    expect(message).toEqual({ x: new Float32Array([1]) });
  });
});

describe("frame inspection rejects", () => {
  const good = encodeFrame(1, { v: new Float32Array([1, 2]) });

  it("frames over the size limit, before reading them", () => {
    expect(reason(good, { ...LIMITS, maxFrameBytes: good.byteLength - 1 })).toMatch(/over the/);
  });

  it("short frames, foreign frames, other versions and kinds", () => {
    expect(reason(new Uint8Array(5))).toMatch(/too short/);
    const foreign = good.slice();
    foreign[0] = 0x00;
    expect(reason(foreign)).toMatch(/not a room frame/);
    const version = good.slice();
    version[1] = 2;
    expect(reason(version)).toMatch(/version 2/);
    const kind = good.slice();
    kind[2] = 9;
    expect(reason(kind)).toMatch(/unknown frame kind 9/);
  });

  it("headers that are too long, run past the frame, or are not UTF-8 JSON", () => {
    const header = { value: null, arrays: [], numbers: [] };
    expect(reason(handmade(header), { ...LIMITS, maxHeaderBytes: 10 })).toMatch(
      /header of \d+ bytes/,
    );
    const past = handmade(header);
    new DataView(past.buffer).setUint32(8, 10_000, true);
    expect(reason(past)).toMatch(/runs past/);
    expect(reason(handmade(null, 0, "{not json"))).toMatch(/not UTF-8 JSON/);
    const badUtf8 = handmade(null, 0, "xx");
    badUtf8[PREFIX_BYTES] = 0xff;
    expect(reason(badUtf8)).toMatch(/not UTF-8 JSON/);
  });

  it("headers of the wrong shape", () => {
    expect(reason(handmade([1, 2]))).toMatch(/lacks its arrays/);
    expect(reason(handmade({ value: 1, arrays: {}, numbers: [] }))).toMatch(/lacks its arrays/);
    expect(reason(handmade({ arrays: [], numbers: [] }))).toMatch(/no value/);
    expect(reason(handmade({ value: 1, arrays: [], numbers: [], extra: 1 }))).toMatch(
      /unknown fields/,
    );
  });

  it("array entries that are malformed, unknown, misplaced or out of bounds", () => {
    const entry = (e: unknown, body = 8, value: unknown = { v: null }) =>
      reason(handmade({ value, arrays: [e], numbers: [] }, body));
    expect(entry({ at: ["v"], type: "f32", offset: 0, length: 2 })).toBe("accepted");
    expect(entry("nope")).toMatch(/malformed/);
    expect(entry({ at: "v", type: "f32", offset: 0, length: 2 })).toMatch(/not a path/);
    expect(entry({ at: ["v"], type: "f16", offset: 0, length: 2 })).toMatch(/unknown type/);
    expect(entry({ at: ["v"], type: "f32", offset: 4, length: 1 })).toMatch(/bad offset/);
    expect(entry({ at: ["v"], type: "f32", offset: 0, length: -1 })).toMatch(/bad length/);
    expect(entry({ at: ["v"], type: "f32", offset: 0, length: 1.5 })).toMatch(/bad length/);
    expect(entry({ at: ["v"], type: "f32", offset: 0, length: 3 })).toMatch(/runs past/);
    expect(entry({ at: ["v"], type: "f32", offset: 0, length: 1 })).toMatch(/arrays need/);
    expect(entry({ at: ["w"], type: "f32", offset: 0, length: 2 })).toMatch(/holds no null/);
    expect(entry({ at: ["v"], type: "f32", offset: 0, length: 2 }, 8, { v: 3 })).toMatch(
      /holds no null/,
    );
    expect(entry({ at: ["__proto__"], type: "u8", offset: 0, length: 8 })).toMatch(/not a path/);
    expect(entry({ at: ["v", "toString"], type: "u8", offset: 0, length: 8 })).toMatch(
      /holds no null/,
    );
    expect(entry({ at: [-1], type: "u8", offset: 0, length: 8 }, 8, [null])).toMatch(/not a path/);
  });

  it("arrays that overlap or fill one place twice, and trailing bytes", () => {
    const two = (a: unknown, b: unknown, body: number, value: unknown = { a: null, b: null }) =>
      reason(handmade({ value, arrays: [a, b], numbers: [] }, body));
    expect(
      two(
        { at: ["a"], type: "u8", offset: 0, length: 8 },
        { at: ["b"], type: "u8", offset: 0, length: 8 },
        8,
      ),
    ).toMatch(/overlaps/);
    expect(
      two(
        { at: ["a"], type: "u8", offset: 0, length: 8 },
        { at: ["a"], type: "u8", offset: 8, length: 8 },
        16,
      ),
    ).toMatch(/holds no null/);
    const trailing = encodeFrame(1, { v: new Uint8Array(3) });
    const longer = new Uint8Array(trailing.byteLength + 8);
    longer.set(trailing);
    expect(reason(longer)).toMatch(/arrays need/);
  });

  it("special numbers that are not NaN or ±Infinity, or have no place", () => {
    const number = (e: unknown, value: unknown = { x: null }) =>
      reason(handmade({ value, arrays: [], numbers: [e] }));
    expect(number({ at: ["x"], value: "NaN" })).toBe("accepted");
    expect(number({ at: ["x"], value: "1e999" })).toMatch(/not NaN/);
    expect(number({ at: ["y"], value: "NaN" })).toMatch(/holds no null/);
    expect(number({ at: ["x"] })).toMatch(/malformed/);
  });

  it("never throws, whatever the bytes", () => {
    const random = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const next = random(3);
    for (let i = 0; i < 500; i++) {
      const frame = good.slice();
      // flip a few bytes of a good frame, prefix and header included
      for (let j = 0; j < 3; j++)
        frame[Math.floor(next() * frame.length)] = Math.floor(next() * 256);
      expect(() => decodeFrame(frame, LIMITS)).not.toThrow();
    }
  });
});
