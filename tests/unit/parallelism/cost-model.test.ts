import { describe, expect, it } from "vitest";
import {
  communicationSeconds,
  jobHours,
  machineModel,
  scaling,
  solveCompute,
  stepSeconds,
  talkPreset,
  talkSteps,
  TALK_SPEEDUP,
  worstError,
  type CostParams,
} from "../../../src/ml/parallelism/cost-model.ts";

describe("the cost model", () => {
  it("reproduces the keynote: 15.6× and 78 % on 20 nodes, 8.3 h → 32 min", () => {
    const p = talkPreset();
    const s = scaling(p);
    expect(s.speedup.toFixed(1)).toBe("15.6");
    expect(Math.round(s.efficiency * 100)).toBe(78);
    const steps = talkSteps(p);
    expect(jobHours({ ...p, nodes: 1 }, steps)).toBeCloseTo(8.3, 6);
    expect(Math.round(jobHours(p, steps) * 60)).toBe(32);
    expect(TALK_SPEEDUP).toBeCloseTo(15.5625, 6);
  });

  it("solves the compute that gives a speed-up exactly", () => {
    const base: Omit<CostParams, "computeSeconds"> = {
      bytesPerStep: 1e6,
      bandwidth: 1e8,
      latency: 1e-4,
      nodes: 8,
      bits: 32,
      topology: "ps",
    };
    const c = solveCompute(base, 6);
    expect(scaling({ ...base, computeSeconds: c }).speedup).toBeCloseTo(6, 9);
    expect(() => solveCompute(base, 8)).toThrow(/more than 8/);
  });

  it("counts what ring all-reduce and a parameter server send", () => {
    const p: CostParams = {
      computeSeconds: 1,
      bytesPerStep: 100,
      bandwidth: 100,
      latency: 0,
      nodes: 4,
      bits: 32,
      topology: "allreduce",
    };
    expect(communicationSeconds(p)).toBeCloseTo(1.5); // 2·3/4 of the gradient
    expect(communicationSeconds({ ...p, topology: "ps" })).toBeCloseTo(8); // 2·4 gradients
    expect(communicationSeconds({ ...p, bits: 8 })).toBeCloseTo(0.375);
    expect(communicationSeconds({ ...p, nodes: 1 })).toBe(0);
    // the ring's share per node stays flat, the server's grows with the nodes
    expect(communicationSeconds({ ...p, nodes: 64 })).toBeLessThan(2);
    expect(communicationSeconds({ ...p, topology: "ps", nodes: 64 })).toBeCloseTo(128);
  });

  it("caps parallel compute at the processors there are", () => {
    const p: CostParams = {
      computeSeconds: 1,
      bytesPerStep: 0,
      bandwidth: 1,
      latency: 0,
      nodes: 4,
      bits: 32,
      topology: "ps",
      processors: 2,
    };
    expect(stepSeconds(p)).toBeCloseTo(0.5);
    expect(scaling(p).efficiency).toBeCloseTo(0.5);
  });

  it("models a machine from its measurements", () => {
    const p = machineModel({
      oneWorker: { nodes: 1, stepSeconds: 0.2 },
      bytesPerStep: 4e6,
      bandwidth: 1e9,
      latency: 1e-4,
      processors: 2,
    });
    const predicted = stepSeconds({ ...p, nodes: 2 });
    expect(predicted).toBeCloseTo(0.1 + 16e6 / 1e9 + 2e-4, 9);
    expect(worstError(p, [{ nodes: 2, stepSeconds: predicted * 1.1 }])).toBeCloseTo(1 - 1 / 1.1, 6);
  });
});
