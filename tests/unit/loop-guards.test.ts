import { describe, expect, it } from "vitest";
import { guardLoops } from "../../src/compiler/loop-guards.ts";
import { LOOP_GUARD } from "../../src/compiler/reserved-names.ts";
import { LoopTimeoutError, loopGuard } from "../../src/runtime/loop-guard.ts";
import { compileSource } from "./support/load-notebook.ts";

const count = (text: string) => text.split(`${LOOP_GUARD}("nb/c");`).length - 1;

/** A task boundary: the page's turn, after which every cell gets a fresh allowance. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("guardLoops", () => {
  it("guards every kind of loop, with or without braces, and every function", () => {
    const body = `() => {
      for (let i = 0; i < 3; i++) x();
      for (const k in o) { y(k); }
      for (const v of list) z(v);
      while (a) b();
      do { c(); } while (d);
      const f = function* () { for (;;) yield 1; };
      function g() { return 1; }
      const h = (n) => n + 1;
      const o2 = { m() { return 2; } };
    }`;
    const guarded = guardLoops(body, "nb/c");
    // 6 loops, the outer arrow, f, g, h and the method m
    expect(count(guarded)).toBe(11);
    const make = new Function(LOOP_GUARD, `return (${guarded})`);
    expect(() => make(() => {})).not.toThrow();
  });

  it("keeps what an arrow with an expression body returns, nested arrows and object literals too", () => {
    const guarded = guardLoops("() => ({add: (a) => (b) => a + b, obj: () => ({x: 1})})", "nb/c");
    const make = new Function(LOOP_GUARD, `return (${guarded})`) as (g: () => void) => () => {
      add: (a: number) => (b: number) => number;
      obj: () => { x: number };
    };
    const value = make(() => {})();
    expect(value.add(2)(3)).toBe(5);
    expect(value.obj()).toEqual({ x: 1 });
  });
});

describe("the runaway guard", () => {
  it("stops a cell's endless loop with an error naming the cell, then lets later code run", async () => {
    await nextTask();
    const cell = compileSource("let n = 0;\nwhile (true) n++;", "spin");
    const started = performance.now();
    expect(() => (cell.body as () => unknown)()).toThrow(
      /Stopped spin: its code ran for more than 2 s/,
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(1900);
    expect(elapsed).toBeLessThan(4000);
    await nextTask();
    expect(() => loopGuard("later")).not.toThrow();
  });

  it("stops a loop that awaits: microtasks give the page no turn", async () => {
    await nextTask();
    const cell = compileSource("let i = 0;\nwhile (true) { await 0; i++; }", "awaiting");
    await expect((cell.body as () => Promise<unknown>)()).rejects.toThrow(LoopTimeoutError);
  });

  it("stops an async recursion without any loop", async () => {
    await nextTask();
    const cell = compileSource(
      "async function f(n) { await 0; return f(n + 1); }\nconst r = await f(0);",
      "recursion",
    );
    await expect((cell.body as () => Promise<unknown>)()).rejects.toThrow(LoopTimeoutError);
  });

  it("stops a promise chain that never ends, so the page gets its turn again", async () => {
    await nextTask();
    const stopped: unknown[] = [];
    const cell = compileSource(
      "const spin = () => Promise.resolve().then(spin);\nconst started = spin().catch((e) => caught(e));",
      "chain",
    );
    const run = cell.body as (caught: (e: unknown) => void) => unknown;
    run((e) => stopped.push(e));
    await nextTask(); // only possible once the chain was stopped
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toBeInstanceOf(LoopTimeoutError);
  });

  it("stops a runaway generator that never reaches its next yield", async () => {
    await nextTask();
    const cell = compileSource(
      "const numbers = (function* () {\n  yield 1;\n  for (let i = 0; ; i++) {}\n})();",
      "gen",
    );
    const { numbers } = (cell.body as () => { numbers: Generator<number> })();
    expect(numbers.next().value).toBe(1);
    expect(() => numbers.next()).toThrow(LoopTimeoutError);
  });

  it("does not trip code that gives the page a turn", async () => {
    await nextTask();
    const cell = compileSource(
      "let steps = 0;\nfor (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 1)); steps++; }",
      "ok",
    );
    await expect((cell.body as () => Promise<unknown>)()).resolves.toEqual({ steps: 5 });
  });

  it("charges each cell its own time: many busy cells in one task are not a runaway", async () => {
    await nextTask();
    // Fifteen cells of 200 ms each in one task: 3 s in all, none of them over the limit.
    const busy = (name: string) =>
      compileSource("const t0 = performance.now();\nwhile (performance.now() - t0 < 200) {}", name);
    const cells = Array.from({ length: 15 }, (_, i) => busy(`busy-${i}`));
    expect(() => cells.forEach((cell) => (cell.body as () => unknown)())).not.toThrow();
  });

  it("stops two runaways that take turns at every await", async () => {
    await nextTask();
    const stopped: string[] = [];
    const spin = (name: string) => compileSource("while (true) { await 0; }", name);
    const runs = ["left", "right"].map((name) =>
      (spin(name).body as () => Promise<unknown>)().catch((e: unknown) => {
        if (e instanceof LoopTimeoutError) stopped.push(e.cell);
      }),
    );
    await Promise.all(runs);
    expect(stopped.sort()).toEqual(["left", "right"]);
  });
});
