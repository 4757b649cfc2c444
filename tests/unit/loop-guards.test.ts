import { describe, expect, it } from "vitest";
import { guardLoops } from "../../src/compiler/loop-guards.ts";
import { LOOP_GUARD } from "../../src/compiler/reserved-names.ts";
import { LoopTimeoutError, loopGuard } from "../../src/runtime/loop-guard.ts";
import { compileSource } from "./support/load-notebook.ts";

const count = (text: string) => text.split(`${LOOP_GUARD}()`).length - 1;

describe("guardLoops", () => {
  it("guards every kind of loop, with or without braces", () => {
    const body = `() => {
      for (let i = 0; i < 3; i++) x();
      for (const k in o) { y(k); }
      for (const v of list) z(v);
      while (a) b();
      do { c(); } while (d);
      const f = function* () { for (;;) yield 1; };
    }`;
    const guarded = guardLoops(body);
    expect(count(guarded)).toBe(6);
    expect(() => new Function(LOOP_GUARD, `return (${guarded})`)).not.toThrow();
  });

  it("leaves a body without loops untouched", () => {
    expect(guardLoops("(x) => {\nreturn x * 2;\n}")).toBe("(x) => {\nreturn x * 2;\n}");
  });
});

describe("the loop guard", () => {
  it("stops a cell's endless loop with an error, then lets later code run", async () => {
    const cell = compileSource("let n = 0;\nwhile (true) n++;", "spin");
    const started = performance.now();
    expect(() => (cell.body as () => unknown)()).toThrow(LoopTimeoutError);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(1900);
    expect(elapsed).toBeLessThan(4000);
    await Promise.resolve();
    // A new task gets a fresh allowance.
    expect(() => loopGuard()).not.toThrow();
  });

  it("stops a runaway generator that never reaches its next yield", () => {
    const cell = compileSource(
      "const numbers = (function* () {\n  yield 1;\n  for (let i = 0; ; i++) {}\n})();",
      "gen",
    );
    const { numbers } = (cell.body as () => { numbers: Generator<number> })();
    expect(numbers.next().value).toBe(1);
    expect(() => numbers.next()).toThrow(LoopTimeoutError);
  });

  it("does not trip loops that give the page a turn", async () => {
    const cell = compileSource(
      "let steps = 0;\nfor (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 1)); steps++; }",
      "ok",
    );
    await expect((cell.body as () => Promise<unknown>)()).resolves.toEqual({ steps: 5 });
  });
});
