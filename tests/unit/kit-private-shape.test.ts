// Flowdeck relies on private fields of the Observable runtime and of Notebook Kit in one module,
// src/runtime/kit.ts. This test pins them at the pinned versions: an upgrade that moves any of
// them fails here, with the field named, rather than somewhere in the browser.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { privateShapeProblems } from "../../src/runtime/kit.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
};

describe("the private fields the adapter relies on", () => {
  it("are pinned to exact versions", () => {
    expect(pkg.dependencies["@observablehq/runtime"]).toBe("6.0.1");
    expect(pkg.dependencies["@observablehq/notebook-kit"]).toBe("2.1.8");
  });

  it("are all where the adapter expects them", () => {
    expect(privateShapeProblems()).toEqual([]);
  });
});
