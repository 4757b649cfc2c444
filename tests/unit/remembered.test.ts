import { describe, expect, it } from "vitest";
import { remembered } from "../../src/ml/graph/remembered.ts";

describe("remembered", () => {
  it("makes a value once per key and keeps the four most recently used", () => {
    let made = 0;
    const make = (key: string) => remembered(`test ${key}`, () => ({ key, n: ++made }));
    const a = make("a");
    expect(make("a")).toBe(a);
    expect(made).toBe(1);
    for (const key of ["b", "c", "d"]) make(key);
    make("a"); // used again: now the most recent
    make("e"); // a fifth key drops the least recently used, "b"
    expect(made).toBe(5);
    expect(make("a")).toBe(a);
    expect(made).toBe(5);
    make("b");
    expect(made).toBe(6);
  });
});
