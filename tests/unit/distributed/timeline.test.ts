import { describe, expect, it } from "vitest";
import type { Activity } from "../../../src/ml/distributed/coordinator.ts";
import { pixelRuns } from "../../../src/ui/distributed/timeline.ts";

describe("the timeline at pixel resolution", () => {
  it("shows each pixel's main activity, as few rectangles as there are changes", () => {
    // 1000 steps of 4 ms on rank 0 (3 computing, 1 communicating) over 4 s; rank 1 idle, then a long wait
    const activity: Activity[] = [];
    for (let s = 0; s < 1000; s++) {
      activity.push({ rank: 0, kind: "compute", start: s * 4, end: s * 4 + 3 });
      activity.push({ rank: 0, kind: "comm", start: s * 4 + 3, end: s * 4 + 4 });
    }
    activity.push({ rank: 1, kind: "wait", start: 2000, end: 4000 });
    const runs = pixelRuns(activity, 2, 0, 4000, 400);
    expect(runs).toEqual([
      { rank: 0, kind: "compute", from: 0, to: 400 },
      { rank: 1, kind: "wait", from: 200, to: 400 },
    ]);
    // at a resolution finer than a step, the steps show
    expect(pixelRuns(activity.slice(0, 4), 2, 0, 8, 8)).toEqual([
      { rank: 0, kind: "compute", from: 0, to: 3 },
      { rank: 0, kind: "comm", from: 3, to: 4 },
      { rank: 0, kind: "compute", from: 4, to: 7 },
      { rank: 0, kind: "comm", from: 7, to: 8 },
    ]);
  });
});
