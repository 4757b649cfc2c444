import { describe, expect, it } from "vitest";
import { Gate, gateValue, gated } from "../../src/runtime/gate.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("Gate", () => {
  it("pulls a generator only while open and resumes where it paused", async () => {
    const gate = new Gate(true);
    let pulled = 0;
    const counter = gated(
      (function* () {
        for (;;) yield ++pulled;
      })(),
      gate,
    );
    expect((await counter.next()).value).toBe(1);
    gate.set(false);
    const waiting = counter.next();
    await tick();
    expect(pulled).toBe(1);
    gate.set(true);
    expect((await waiting).value).toBe(2);
  });

  it("passes return() through so the original generator's finally runs", async () => {
    let cleaned = false;
    const g = gated(
      (async function* () {
        try {
          for (;;) yield 1;
        } finally {
          cleaned = true;
        }
      })(),
      new Gate(true),
    );
    await g.next();
    await g.return(undefined);
    expect(cleaned).toBe(true);
    expect((await g.next()).done).toBe(true);
  });

  it("gates a cell's exported generators without touching other values", () => {
    const gen = (function* () {})();
    const value = { gen, n: 1 };
    const out = gateValue(value, new Gate()) as Record<string, unknown>;
    expect(out).not.toBe(value);
    expect(out.gen).not.toBe(gen);
    expect(out.n).toBe(1);
    const plain = { n: 1 };
    expect(gateValue(plain, new Gate())).toBe(plain);
  });

  it("tells listeners only about real changes", () => {
    const gate = new Gate(false);
    const seen: boolean[] = [];
    gate.onChange((open) => seen.push(open));
    gate.set(false);
    gate.set(true);
    gate.set(true);
    gate.set(false);
    expect(seen).toEqual([true, false]);
  });
});
