import { describe, expect, it } from "vitest";
import { awaitMeasurements } from "../../src/deck/print-measurements.ts";
import { placeholdersIn } from "../browser/print-text.ts";

describe("the print view's wait for measurements", () => {
  it("waits until no cell measures, saying which on screen, then clears the line", async () => {
    let left: `${string}/${string}`[] = ["nb/bench", "nb/pipe"];
    const shown: string[] = [];
    setTimeout(() => (left = ["nb/pipe"]), 300);
    setTimeout(() => (left = []), 600);
    const unfinished = await awaitMeasurements(
      { measuring: () => left },
      { timeoutMs: 10_000, status: (text) => shown.push(text) },
    );
    expect(unfinished).toEqual([]);
    expect(shown[0]).toMatch(/^Measuring before printing: 2 outputs \(nb\/bench, nb\/pipe\)/);
    expect(shown.some((text) => text.includes("1 output (nb/pipe)"))).toBe(true);
    expect(shown.at(-1)).toBe("");
  });

  it("gives up after its bound and says what had not ended", async () => {
    const unfinished = await awaitMeasurements(
      { measuring: () => ["nb/forever"] },
      { timeoutMs: 300, status: () => {} },
    );
    expect(unfinished).toEqual(["nb/forever"]);
  });
});

describe("placeholders on paper", () => {
  it("finds what outputs say before they have a result", () => {
    const lines = [
      "Two workers (…), batches of 128 digits ·   starting two workers",
      "measuring webgl: 512 × 512… webgl renders with ANGLE",
      "1.04 × 10^18 FLOP; waiting for the first measurement",
      "running: one worker",
      "quantizing and testing…",
    ];
    for (const line of lines) expect(placeholdersIn(line), line).not.toEqual([]);
  });

  it("leaves finished text alone, ellipses in code and lists included", () => {
    const page = [
      "tf.tensor(…): tensors are immutable",
      "Data-parallel steps of 256 digits on 1, 2, … workers of this browser",
      "measured on this machine. webgl renders with ANGLE",
      "No room server is running.",
      "(x, y, z, ?, ?, … )",
    ].join("\n");
    expect(placeholdersIn(page)).toEqual([]);
  });
});
