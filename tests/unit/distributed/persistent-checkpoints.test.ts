import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type Checkpoint } from "../../../src/ml/distributed/coordinator.ts";
import { PersistentCheckpoints } from "../../../src/ml/distributed/persistent-checkpoints.ts";

const checkpoint = (step: number): Checkpoint => ({
  params: Float32Array.from([1, 2, 3, step]),
  step,
  elapsed: step / 10,
  examples: step * 128,
  draws: [step, step],
});

describe("persistent checkpoints", () => {
  it("without IndexedDB keep everything in memory and say a reload will start afresh", async () => {
    const store = await PersistentCheckpoints.open(undefined);
    expect(store.persistent).toBe(false);
    expect(store.problem).toMatch(/memory only: this browser has no IndexedDB; a reload/);
    store.save("run-1", checkpoint(3), DEFAULT_CONFIG);
    store.save("run-2", checkpoint(7), { ...DEFAULT_CONFIG, workers: 4 });
    const back = store.load("run-2")!;
    expect([...back.params]).toEqual([1, 2, 3, 7]);
    back.params[0] = 99; // a copy: the store's own is untouched
    expect(store.load("run-2")!.params[0]).toBe(1);
    expect(store.latest()).toMatchObject({ key: "run-2", step: 7, config: { workers: 4 } });
    store.delete("run-2");
    expect(store.load("run-2")).toBeUndefined();
    expect(store.latest()?.key).toBe("run-1");
    await store.flushed();
  });

  it("fall back to memory, with the reason, when IndexedDB refuses to open", async () => {
    const refusing = {
      open: () => {
        throw new DOMException("blocked by the user's settings", "SecurityError");
      },
    } as unknown as IDBFactory;
    const store = await PersistentCheckpoints.open(refusing);
    expect(store.problem).toMatch(
      /IndexedDB could not be opened \(blocked by the user's settings\)/,
    );
    store.save("run-1", checkpoint(2));
    expect(store.load("run-1")?.step).toBe(2);
  });
});
