import { describe, expect, it } from "vitest";
import { FloodGuard, TokenBucket } from "../../../src/room/rate-limit.ts";

describe("token bucket", () => {
  it("allows a burst, then the rate", () => {
    const bucket = new TokenBucket(10, 5, 0);
    const taken = Array.from({ length: 8 }, () => bucket.take(1, 0));
    expect(taken).toEqual([true, true, true, true, true, false, false, false]);
    expect(bucket.take(1, 50)).toBe(false); // half a token has flowed in
    expect(bucket.take(1, 100)).toBe(true);
    expect(bucket.take(1, 100)).toBe(false);
  });

  it("never holds more than its burst, however long it rests", () => {
    const bucket = new TokenBucket(100, 3, 0);
    expect(bucket.take(4, 1_000_000)).toBe(false);
    expect(bucket.take(3, 1_000_000)).toBe(true);
  });

  it("ignores a clock that steps back", () => {
    const bucket = new TokenBucket(1, 1, 1000);
    expect(bucket.take(1, 1000)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.take(1, 1500)).toBe(false);
    expect(bucket.take(1, 2000)).toBe(true);
  });

  it("refuses nonsense settings", () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(1, NaN, 0)).toThrow(RangeError);
  });
});

describe("flood guard", () => {
  const limits = {
    messagesPerSecond: 100,
    messageBurst: 10,
    bytesPerSecond: 1000,
    byteBurst: 2000,
  };

  it("passes a steady sender and stops a flood of messages", () => {
    const guard = new FloodGuard(limits, 0);
    // 50 messages a second for ten seconds: under the rate
    for (let t = 0; t < 10_000; t += 20) expect(guard.admit(10, t)).toBeUndefined();
    let reason: string | undefined;
    for (let i = 0; i < 20 && !reason; i++) reason = guard.admit(1, 10_000);
    expect(reason).toBe("flooding: over 100 messages a second");
  });

  it("stops a flood of bytes in few messages", () => {
    const guard = new FloodGuard(limits, 0);
    expect(guard.admit(1500, 0)).toBeUndefined();
    expect(guard.admit(1500, 100)).toMatch(/flooding: over 1 KiB a second/);
  });
});
