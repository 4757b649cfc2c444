/**
 * Measurements take turns: two runs timing workers at once on the same cores would each
 * measure the other. `takeTurn` resolves when every earlier turn has ended; call the function
 * it gives to end yours (an abort of `signal` ends it too, even while still waiting).
 */
import { machineModel, type CostParams, type Measured } from "./cost-model.ts";

let tail: Promise<void> = Promise.resolve();

export function takeTurn(signal?: AbortSignal): Promise<() => void> {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  const previous = tail;
  tail = previous.then(() => done);
  signal?.addEventListener("abort", () => release(), { once: true });
  return previous.then(() => release);
}

/** The last scaling measurement made on this page, for the cost model's "this machine" preset. */
export interface ScalingMeasurement {
  points: Array<Measured & { speedup: number; efficiency: number }>;
  link: { bandwidth: number; latency: number };
  processors: number;
  most: number;
  bytesPerStep: number;
}

let lastScaling: ScalingMeasurement | undefined;
export function rememberScaling(m: ScalingMeasurement): void {
  lastScaling = m;
}
export function latestScaling(): ScalingMeasurement | undefined {
  return lastScaling;
}

/** The cost model of this machine from the last scaling measurement, if there was one. */
export function machinePreset():
  { params: CostParams; points: ScalingMeasurement["points"] } | undefined {
  const m = lastScaling;
  if (!m) return undefined;
  const params = machineModel({
    measured: m.points,
    bytesPerStep: m.bytesPerStep,
    bandwidth: m.link.bandwidth,
    latency: m.link.latency,
    processors: m.processors,
  });
  return { params: { ...params, nodes: m.most }, points: m.points };
}
