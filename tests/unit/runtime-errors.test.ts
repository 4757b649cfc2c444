import { describe, expect, it } from "vitest";
import { explainError, formatAlert, formatReport, toError } from "../../src/runtime/errors.ts";
import { CheckFailure } from "../../src/workshop/checks.ts";

class RuntimeError extends Error {
  override name = "RuntimeError";
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
  }
}

describe("error reports", () => {
  const definers: Record<string, string> = { points: "nb/data", labels: "nb/data" };
  const definerOf = (name: string) => definers[name];

  it("a cell's own error is reported as its own, with its type", () => {
    const report = explainError(
      new TypeError("x.map is not a function"),
      { key: "nb/plot", inputs: ["x"] },
      definerOf,
    );
    expect(formatReport(report)).toBe("TypeError: x.map is not a function");
  });

  it("a dependent names the input that failed and the cell defining it", () => {
    const error = new RuntimeError("no data", "points");
    const report = explainError(error, { key: "nb/chart", inputs: ["points", "width"] }, definerOf);
    expect(report).toEqual({ origin: "nb/data", failedInput: "points", message: "no data" });
    expect(formatReport(report)).toBe("Input `points` failed (in cell nb/data): no data");
  });

  it("a reference to a name no cell defines is the cell's own error", () => {
    const error = new RuntimeError("pionts is not defined", "pionts");
    const report = explainError(error, { key: "nb/chart", inputs: ["pionts"] }, definerOf);
    expect(report.origin).toBe("nb/chart");
    expect(formatReport(report)).toBe("pionts is not defined");
  });

  it("thrown non-errors become errors with a message", () => {
    expect(toError("boom").message).toBe("boom was thrown");
    expect(toError({ code: 3 }).message).toBe('{"code":3} was thrown');
    expect(toError(undefined).message).toBe("undefined was thrown");
    const e = new Error("same");
    expect(toError(e)).toBe(e);
  });
});

describe("errors a reader could not act on", () => {
  it("a huge allocation says how large and that nothing else broke", () => {
    const report = explainError(
      new RangeError("Invalid typed array length: 10000000000"),
      { key: "nb/big", inputs: [] },
      () => undefined,
    );
    expect(formatReport(report)).toBe(
      "RangeError: Invalid typed array length: 10000000000: a tensor of 10,000,000,000 values is too large to allocate here (40 GB as float32); the other cells and the backend are unaffected",
    );
  });
});

describe("the alert shown in place", () => {
  it("a fault names its cell; a check's 'Not yet' does not", () => {
    const fault = explainError(
      new TypeError("x.map is not a function"),
      { key: "nb/a", inputs: [] },
      () => undefined,
    );
    expect(formatAlert("nb/a", fault)).toBe("nb/a: TypeError: x.map is not a function");
    const check = explainError(
      new CheckFailure("expected [9, 7, 8]"),
      { key: "nb/check-1", inputs: [] },
      () => undefined,
    );
    expect(formatAlert("nb/check-1", check)).toBe("Not yet: expected [9, 7, 8]");
  });
});
