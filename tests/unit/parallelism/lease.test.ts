import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Lease } from "../../../src/ml/parallelism/lease.ts";

class Fake {
  static live = 0;
  disposed = false;
  constructor(readonly from: number | undefined) {
    Fake.live++;
  }
  checkpoint(): Promise<number> {
    return Promise.resolve((this.from ?? 0) + 1);
  }
  dispose(): void {
    if (!this.disposed) Fake.live--;
    this.disposed = true;
  }
}

describe("Lease", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    Fake.live = 0;
  });
  afterEach(() => vi.useRealTimers());

  it("ends the workers when idle, and resumes from their checkpoint", async () => {
    const lease = new Lease((from: number | undefined) => new Fake(from), 1000);
    const first = await lease.get();
    expect(first.from).toBeUndefined();
    lease.idle();
    await vi.advanceTimersByTimeAsync(500);
    expect(await lease.get()).toBe(first); // used again in time: the same workers
    lease.idle();
    await vi.advanceTimersByTimeAsync(1500);
    expect(Fake.live).toBe(0);
    expect(lease.active).toBe(false);
    const second = await lease.get();
    expect(second.from).toBe(1);
    expect(lease.starts).toBe(2);
    lease.dispose();
    expect(Fake.live).toBe(0);
  });
});
