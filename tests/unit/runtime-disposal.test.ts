import { describe, expect, it } from "vitest";
import { collectOwned, disposeOwned, isGeneratorLike } from "../../src/runtime/disposal.ts";

function fakeTensor(name: string) {
  return {
    name,
    dataId: {},
    shape: [2, 2],
    isDisposed: false,
    dispose() {
      if (this.isDisposed) throw new Error(`${name} disposed twice`);
      this.isDisposed = true;
    },
  };
}

describe("tensors a cell owns", () => {
  it("finds tensors in arrays, maps and plain objects, and models", () => {
    const a = fakeTensor("a");
    const b = fakeTensor("b");
    const c = fakeTensor("c");
    const model = { layers: [], dispose() {} };
    const owned = collectOwned({ a, list: [b, { c }], map: new Map([["m", model]]) });
    expect([...owned]).toEqual([a, b, c, model]);
  });

  it("leaves alone variables, class instances and what came in as inputs", () => {
    const mine = fakeTensor("mine");
    const input = fakeTensor("input");
    const variable = { ...fakeTensor("variable"), assign() {} };
    class Holder {
      t = fakeTensor("held");
    }
    const disposed = disposeOwned({ mine, input, variable, holder: new Holder() }, [[input]]);
    expect(disposed).toBe(1);
    expect(mine.isDisposed).toBe(true);
    expect(input.isDisposed).toBe(false);
    expect(variable.isDisposed).toBe(false);
  });

  it("skips tensors already disposed and survives a throwing dispose", () => {
    const gone = fakeTensor("gone");
    gone.dispose();
    const broken = {
      layers: [],
      dispose: () => {
        throw new Error("already disposed");
      },
    };
    expect(disposeOwned([gone, broken])).toBe(0);
  });

  it("stops at cycles", () => {
    const t = fakeTensor("t");
    const cycle: Record<string, unknown> = { t };
    cycle.self = cycle;
    expect(collectOwned(cycle).size).toBe(1);
  });
});

describe("generators", () => {
  it("recognises sync and async generators and Observable's generator objects", () => {
    expect(isGeneratorLike((function* () {})())).toBe(true);
    expect(isGeneratorLike((async function* () {})())).toBe(true);
    expect(isGeneratorLike({ next() {}, return() {}, throw() {} })).toBe(true);
    expect(isGeneratorLike([1, 2][Symbol.iterator]())).toBe(false);
    expect(isGeneratorLike(Promise.resolve())).toBe(false);
  });
});
