import { beforeEach, describe, expect, it } from "vitest";
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

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("Lease", () => {
  beforeEach(() => {
    Fake.live = 0;
  });

  it("ends idle workers when suspended, and resumes from their checkpoint", async () => {
    const lease = new Lease((from: number | undefined) => new Fake(from));
    const first = await lease.get();
    expect(first.from).toBeUndefined();
    lease.idle();
    expect(await lease.get()).toBe(first); // not suspended: the same workers
    lease.idle();
    lease.suspend();
    await flush();
    expect(Fake.live).toBe(0);
    expect(lease.active).toBe(false);
    lease.resume();
    const second = await lease.get();
    expect(second.from).toBe(1);
    expect(lease.starts).toBe(2);
    lease.dispose();
    expect(Fake.live).toBe(0);
  });

  it("lets a use in progress finish before it ends the workers", async () => {
    const lease = new Lease((from: number | undefined) => new Fake(from));
    const used = await lease.get();
    lease.suspend();
    await flush();
    expect(used.disposed).toBe(false); // mid-step: not cut in half
    lease.idle();
    await flush();
    expect(used.disposed).toBe(true);
    expect(Fake.live).toBe(0);
  });
});
