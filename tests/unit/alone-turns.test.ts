import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AloneTurns } from "../../src/runtime/alone-turns.ts";

describe("AloneTurns", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const started = (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(() => (done = true));
    return () => done;
  };

  it("starts at once when nothing else measures", async () => {
    const turns = new AloneTurns<string>({ busy: () => ["scaling"] });
    const release = await turns.take("scaling");
    expect(turns.holder).toBe("scaling");
    release();
    expect(turns.holder).toBeUndefined();
  });

  it("waits while another cell measures, then starts", async () => {
    let busy = ["scaling", "playground"];
    const turns = new AloneTurns<string>({ busy: () => busy, now: () => Date.now() });
    const scaling = started(turns.take("scaling"));
    await vi.advanceTimersByTimeAsync(1000);
    expect(scaling()).toBe(false);
    busy = ["scaling"];
    await vi.advanceTimersByTimeAsync(300);
    expect(scaling()).toBe(true);
  });

  it("takes turns one at a time, in order, and waiting cells do not block each other", async () => {
    const busy = ["a", "b"];
    const turns = new AloneTurns<string>({ busy: () => busy });
    const a = turns.take("a");
    const b = started(turns.take("b"));
    const releaseA = await a; // "b" is only waiting: it does not count as busy
    await vi.advanceTimersByTimeAsync(1000);
    expect(b()).toBe(false);
    busy.splice(0, 1); // "a" has ended its run
    releaseA();
    await vi.advanceTimersByTimeAsync(0);
    expect(b()).toBe(true);
    expect(turns.holder).toBe("b");
  });

  it("gives up waiting after maxWaitMs, for a cell that measures for ever", async () => {
    const turns = new AloneTurns<string>({
      busy: () => ["forever", "scaling"],
      maxWaitMs: 5000,
      now: () => Date.now(),
    });
    const scaling = started(turns.take("scaling"));
    await vi.advanceTimersByTimeAsync(4000);
    expect(scaling()).toBe(false);
    await vi.advanceTimersByTimeAsync(1500);
    expect(scaling()).toBe(true);
  });

  it("an aborted run ends its turn, or leaves the queue, and a new run of it is not ended", async () => {
    const turns = new AloneTurns<string>({ busy: () => [] });
    const first = new AbortController();
    await turns.take("x", first.signal);
    const second = new AbortController();
    const waiting = turns.take("y", second.signal);
    second.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    first.abort();
    expect(turns.holder).toBeUndefined();
    const again = new AbortController();
    await turns.take("x", again.signal);
    first.abort(); // the old run's signal, again: not this run's turn
    expect(turns.holder).toBe("x");
  });
});
