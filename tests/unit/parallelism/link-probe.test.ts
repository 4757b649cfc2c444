import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { medianOf, probeLink, type Echo } from "../../../src/ml/parallelism/link-probe.ts";

/** An echo over a simulated link: `costMs(call, size)` is what each round trip takes. */
function simulated(costMs: (call: number, size: number) => number) {
  let clock = 0;
  let calls = 0;
  const echo: Echo = async (payload) => {
    clock += costMs(calls++, payload.byteLength);
    await Promise.resolve();
  };
  return { echo, clock: () => clock };
}

describe("the link probe", () => {
  it("leaves out the far side's start-up and a group that waited behind a busy thread", async () => {
    // 40 µs a round trip and 1 ns a byte there and back (2 GB/s); the first 6 round trips wait 40 ms for the worker to
    // start (one early round trip, as the scaling slide used to time, reads 20 ms one way), and
    // in the third group every round trip waits 25 ms behind a busy page
    let group = 0;
    const link = simulated(
      (call, size) => (call < 6 ? 40 : 0.04 + size * 1e-6) + (group === 3 ? 25 : 0),
    );
    const probe = await probeLink(link.echo, 200_000, {
      clock: link.clock,
      idle: async () => void group++,
    });
    expect(group).toBe(18); // each group, small and large, started from an idle page
    expect(probe.latency).toBeCloseTo(20e-6, 7); // 20 µs one way, plus 8 bytes
    expect(probe.bandwidth / 1e9).toBeCloseTo(2, 3);
    expect(probe.smallMs).toHaveLength(9);
  });

  it("measures a real postMessage link between two threads at well under 5 ms", async () => {
    const worker = new Worker(
      `const { parentPort } = require("node:worker_threads");
       parentPort.on("message", (buffer) => parentPort.postMessage(buffer, [buffer]));`,
      { eval: true },
    );
    afterAll(() => worker.terminate());
    const waiting: Array<() => void> = [];
    worker.on("message", () => waiting.shift()?.());
    const echo: Echo = (payload) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        worker.postMessage(payload);
      });
    const probe = await probeLink(echo, 200_000);
    expect(probe.latency).toBeGreaterThan(0);
    expect(probe.latency).toBeLessThan(5e-3);
    expect(probe.bandwidth).toBeGreaterThan(1e7); // 10 MB/s: a copy of 200 kB in memory is far faster
  });

  it("takes medians of odd and even counts", () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([])).toBeNaN();
  });
});
