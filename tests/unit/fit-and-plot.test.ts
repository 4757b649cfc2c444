import { describe, expect, it } from "vitest";
import { MIN_ZOOM, zoomToFit } from "../../src/deck/fit-slide.ts";
import { LEGIBLE_MARGINS, LEGIBLE_RAMP, withLegibleMargins } from "../../src/ui/plot-defaults.ts";

describe("fitting outputs to a slide (src/deck/fit-slide.ts)", () => {
  it("leaves a slide that fits alone", () => {
    expect(zoomToFit(400, 0)).toBe(1);
    expect(zoomToFit(400, -20)).toBe(1);
    expect(zoomToFit(0, 50)).toBe(1);
  });
  it("shrinks the outputs by what overflows", () => {
    expect(zoomToFit(400, 100)).toBeCloseTo(0.75);
  });
  it("stops at the smallest zoom that stays readable", () => {
    expect(zoomToFit(400, 390)).toBe(MIN_ZOOM);
  });
});

describe("Plot margins for legible axes (src/ui/plot-defaults.ts)", () => {
  it("fills the margins a chart leaves unset", () => {
    expect(withLegibleMargins({ width: 600 })).toEqual({ width: 600, ...LEGIBLE_MARGINS });
    expect(withLegibleMargins()).toEqual(LEGIBLE_MARGINS);
  });
  it("keeps the margins a chart sets", () => {
    expect(withLegibleMargins({ marginLeft: 80 }).marginLeft).toBe(80);
    expect(withLegibleMargins({ margin: 10 })).toEqual({ margin: 10 });
  });
  it("gives a colour ramp room for its end labels, and leaves swatches alone", () => {
    const ramp = withLegibleMargins({ color: { legend: true, type: "diverging" } });
    expect(ramp.color).toEqual({ ...LEGIBLE_RAMP, legend: true, type: "diverging" });
    const color = { legend: true, marginLeft: 4 }; // a legend option Plot's types do not list
    const own = withLegibleMargins({ color });
    expect((own.color as { marginLeft: number }).marginLeft).toBe(4);
    const swatches = { legend: true, domain: ["a", "b"] };
    expect(withLegibleMargins({ color: swatches }).color).toEqual(swatches);
    expect(withLegibleMargins({ color: { scheme: "RdBu" } }).color).toEqual({ scheme: "RdBu" });
  });
});
