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

  it("models a machine from its measurements, fitting only the serial part", () => {
    const link = { bytesPerStep: 4e6, bandwidth: 1e9, latency: 1e-4, processors: 2 };
    // made with a serial part of 30 ms: the fit finds it, and predicts every point
    const truth: CostParams = {
      computeSeconds: 0.17,
      serialSeconds: 0.03,
      nodes: 1,
      bits: 32,
      topology: "ps",
      ...link,
    };
    const measured = [1, 2, 3, 4].map((nodes) => ({
      nodes,
      stepSeconds: stepSeconds({ ...truth, nodes }),
    }));
    const p = machineModel({ measured, ...link });
    expect(p.serialSeconds).toBeCloseTo(0.03, 9);
    expect(p.computeSeconds).toBeCloseTo(0.17, 9);
    expect(worstError(p, measured)).toBeLessThan(1e-9);
    // a point the model cannot explain shows in the error
    expect(worstError(p, [{ nodes: 2, stepSeconds: measured[1]!.stepSeconds * 1.1 }])).toBeCloseTo(
      1 - 1 / 1.1,
      6,
    );
    expect(() => machineModel({ measured: [{ nodes: 2, stepSeconds: 1 }], ...link })).toThrow(
      /one-worker/,
    );
  });
});
