// The host's scheduling, headless: no DOM in this environment.
import { describe, expect, it } from "vitest";
import { NotebookHost, type Builtins } from "../../src/runtime/host.ts";
import { fence, loadNotebook, until } from "./support/load-notebook.ts";

/** A host over one notebook `nb`, with `record(value)` for cells to report what they saw. */
function setup(
  markdown: string,
  builtins: Builtins = {},
  stallMs?: number,
  suspendAfterMs?: number,
) {
  const seen: unknown[] = [];
  const host = new NotebookHost({
    builtins: { record: () => (v: unknown) => seen.push(v), ...builtins },
    ...(stallMs !== undefined && { stallMs }),
    ...(suspendAfterMs !== undefined && { suspendAfterMs }),
  });
  host.add(loadNotebook("nb", markdown));
  const show = (id: string, { active = true } = {}) => {
    host.show(`nb/${id}`);
    host.setActive(`nb/${id}`, active);
  };
  const state = (id: string) => host.cells().find((c) => c.id === id);
  const idle = () => until(() => host.busy().length === 0);
  return { host, show, state, seen, idle };
}

function fakeTensor(name = "t") {
  return {
    name,
    dataId: {},
    shape: [1],
    isDisposed: false,
    dispose() {
      if (this.isDisposed) throw new Error(`${name} disposed twice`);
      this.isDisposed = true;
    },
  };
}

describe("NotebookHost (headless)", () => {
  it("has no DOM here, and needs none", () => {
    expect(typeof document).toBe("undefined");
  });

  it("computes a shown cell and its inputs, and nothing else", async () => {
    const { show, state, seen, idle } = setup(
      fence("id=a", "const x = (record('a'), 2);") +
        fence("id=b", "const y = (record('b'), x * 10);") +
        fence("id=c", "(record('c'), 'unused')"),
    );
    show("b");
    await idle();
    expect(state("b")?.state).toBe("ready");
    expect([...seen].sort()).toEqual(["a", "b"]);
  });

  it("does not run a cell that declares variables until something shown needs it", async () => {
    const { host, show, seen, idle } = setup(
      fence("id=declares", "const x = (record('declares'), 1);") +
        fence("id=alsoDeclares", "const y = (record('alsoDeclares'), 2);") +
        fence("id=shown", "record(x + 1)"),
    );
    expect(host.busy()).toEqual([]);
    expect(seen).toEqual([]);
    show("shown");
    await idle();
    expect(seen).toEqual(["declares", 2]);
  });

  it("holds a cell shown in safe mode until it is run", async () => {
    const { host, state, seen, idle } = setup(fence("id=a", "record('ran')"));
    host.show("nb/a", { run: false });
    expect(host.isHeld("nb/a")).toBe(true);
    expect(state("a")?.state).toBe("pending");
    host.run("nb/a");
    await idle();
    expect(seen).toEqual(["ran"]);
    expect(state("a")?.state).toBe("ready");
  });

  it("re-runs dependents when a cell is redefined and keeps unchanged cells' state", async () => {
    const source = (n: number) =>
      fence("id=a", `const x = (record('a'), ${n});`) +
      fence("id=b", "record(x * 10)") +
      fence("id=c", "record('c')");
    const { host, show, seen, idle } = setup(source(1));
    show("b");
    show("c");
    await idle();
    seen.length = 0;
    host.update(loadNotebook("nb", source(2)));
    await until(() => seen.includes(20));
    await idle();
    expect([...seen].map(String).sort()).toEqual(["20", "a"]);
  });

  it("runs an edit in place of the author's cell and restores the author's", async () => {
    const { host, show, seen, idle } = setup(
      fence("id=a", "const x = 1;") + fence("id=b", "record(x)"),
    );
    show("b");
    await idle();
    const edit = loadNotebook("scratch", fence("id=a", "const x = 5;")).cells[0]!;
    host.replaceCell("nb/a", edit);
    await until(() => seen.includes(5));
    expect(host.cell("nb/a")?.source).toBe("const x = 5;");
    expect(host.authored("nb/a")?.source).toBe("const x = 1;");
    expect(host.notebook("nb")?.cells[0]?.source).toBe("const x = 5;");
    host.restoreCell("nb/a");
    await until(() => seen.at(-1) === 1);
    expect(host.cell("nb/a")).toBe(host.authored("nb/a"));
  });

  it("reports a failure with its cell, and names the failed input for dependents", async () => {
    const { show, state, idle } = setup(
      fence("id=bad", "const data = (() => { throw new Error('no data'); })();") +
        fence("id=uses", "data.length") +
        fence("id=fine", "1 + 1") +
        fence("id=typo", "const a = 1;\nconst b = ;"),
    );
    for (const id of ["bad", "uses", "fine", "typo"]) show(id);
    await idle();
    expect(state("bad")).toMatchObject({ state: "error", error: "nb/bad: no data" });
    expect(state("uses")?.error).toBe("nb/uses: Input `data` failed (in cell nb/bad): no data");
    expect(state("fine")?.state).toBe("ready");
    expect(state("typo")?.error).toMatch(/^nb\/typo: SyntaxError: .* \(line 2, column 11\)$/);
  });

  it("stops waiting for a cell that awaits a promise that never settles, and says which", async () => {
    const { host, show, state } = setup(
      fence("id=never", "await new Promise(() => {})") + fence("id=fine", "1"),
      {},
      100,
    );
    show("never");
    show("fine");
    await until(() => host.busy().length === 0, 3000);
    expect(state("never")).toMatchObject({ state: "running", stalled: true });
    expect(state("fine")?.state).toBe("ready");
  });

  it("pauses a generator while its gate is closed and resumes it where it was", async () => {
    const { host, show, seen } = setup(
      fence("id=count", "const count = (function* () { for (let i = 0; ; ++i) yield i; })();") +
        fence("id=show", "record(count)"),
    );
    show("show");
    await until(() => seen.length > 3);
    host.setActive("nb/show", false);
    const paused = seen.length;
    // The gate closes before the next pull: at most the pull in flight still lands.
    await until(() => host.busy().length === 0);
    const settled = seen.length;
    expect(settled - paused).toBeLessThanOrEqual(1);
    host.setActive("nb/show", true);
    await until(() => seen.length > settled + 2);
    expect(seen.slice(settled, settled + 2)).toEqual([settled, settled + 1]);
  });

  it("counts a cell that called measuring() as measuring until its generator ends", async () => {
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const { host, show, seen, idle } = setup(
      fence(
        "id=bench",
        "const bench = (async function* () { measuring(); yield 'starting'; await benchDone.promise; yield 'done'; })();",
      ) +
        fence("id=view", "record(bench)") +
        fence(
          "id=loop",
          "(async function* () { for (;;) { yield 1; await new Promise((r) => setTimeout(r, 5)); } })()",
        ),
      { benchDone: () => ({ promise: finished }) },
    );
    show("view");
    show("loop");
    await idle();
    expect(seen).toContain("starting");
    // settled for the page (it has a value), but still measuring; a loop that never called
    // measuring() never holds anything up
    expect(host.measuring()).toEqual(["nb/bench"]);
    finish();
    await until(() => host.measuring().length === 0);
    expect(seen.at(-1)).toBe("done");
  });
});

describe("measuring.alone()", () => {
  it("times only once the other measuring cells on show have ended", async () => {
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const { host, show, seen } = setup(
      fence(
        "id=train",
        "const train = (async function* () { measuring(); yield 'training'; await trainDone.promise; yield 'trained'; })();",
      ) +
        fence("id=trainView", "record(train)") +
        fence(
          "id=timing",
          "const timing = (async function* () { const release = await measuring.alone(); record('timing starts'); release(); yield 'timed'; })();",
        ) +
        fence("id=timingView", "timing"),
      { trainDone: () => ({ promise: finished }) },
    );
    show("trainView");
    show("timingView");
    await until(() => seen.includes("training"));
    await new Promise((r) => setTimeout(r, 600)); // a few of the turns' looks at the busy cells
    expect(seen).not.toContain("timing starts");
    expect(host.measuring()).toContain("nb/timing");
    finish();
    await until(() => seen.includes("timing starts"), 5000);
    expect(seen.indexOf("trained")).toBeLessThan(seen.indexOf("timing starts"));
    await until(() => host.measuring().length === 0);
  });
});

describe("a cell's lifetime", () => {
  it("releases what a cell returned when it re-runs, but never its inputs", async () => {
    const made: ReturnType<typeof fakeTensor>[] = [];
    const builtins = { make: () => () => (made.push(fakeTensor()), made.at(-1)) };
    const source = (n: number) =>
      fence("id=input", "const shared = make();") +
      fence("id=t", `const t = make(); const same = shared; const n = ${n};`) +
      fence("id=use", "record([t, same, n])");
    const { host, show, seen, idle } = setup(source(1), builtins);
    show("use");
    await idle();
    host.update(loadNotebook("nb", source(2)));
    await until(() => seen.length === 2);
    expect(made.map((t) => t.isDisposed)).toEqual([false, true, false]);
  });

  it("releases what a cell registered with own(), newest first, and aborts its signal", async () => {
    const order: string[] = [];
    const builtins = {
      resource: () => (name: string) => ({ destroy: () => order.push(`destroy ${name}`) }),
      log: () => (line: string) => order.push(line),
    };
    const source = (n: number) =>
      fence(
        "id=a",
        `own(resource("first")); own(() => log("callback")); signal.addEventListener("abort", () => log("aborted ${n}")); const v = ${n};`,
      ) + fence("id=b", "record(v)");
    const { host, show, seen, idle } = setup(source(1), builtins);
    show("b");
    await idle();
    expect(order).toEqual([]);
    host.update(loadNotebook("nb", source(2)));
    await until(() => seen.includes(2));
    expect(order).toEqual(["aborted 1", "callback", "destroy first"]);
  });

  it("releases anything with dispose(), destroy() or Symbol.dispose that a cell returns", async () => {
    const released: string[] = [];
    const disposeSymbol = (Symbol as { dispose?: symbol }).dispose;
    const builtins = {
      things: () => () => ({
        a: { dispose: () => released.push("dispose") },
        b: { destroy: () => released.push("destroy") },
        ...(disposeSymbol && { c: { [disposeSymbol]: () => released.push("Symbol.dispose") } }),
      }),
    };
    const { host, show, idle } = setup(fence("id=a", "const {a, b, c} = things();"), builtins);
    show("a");
    await idle();
    host.update(loadNotebook("nb", fence("id=a", "const {a, b, c} = things(); // again")));
    await until(() => released.length >= 2);
    await idle();
    expect(released.sort()).toEqual(
      disposeSymbol ? ["Symbol.dispose", "destroy", "dispose"] : ["destroy", "dispose"],
    );
  });

  it("releases each value a generator yields once the next one replaces it, and the last at the end", async () => {
    const made: ReturnType<typeof fakeTensor>[] = [];
    const builtins = { make: () => (name: string) => (made.push(fakeTensor(name)), made.at(-1)) };
    const { host, show, seen, idle } = setup(
      fence(
        "id=steps",
        "const steps = (function* () { for (let i = 0; i < 3; i++) yield make(`step ${i}`); })();",
      ) + fence("id=show", "record(steps.name)"),
      builtins,
    );
    show("show");
    await until(() => seen.length === 3);
    await idle();
    expect(made.map((t) => t.isDisposed)).toEqual([true, true, false]);
    host.update(
      loadNotebook("nb", fence("id=steps", "const steps = 0;") + fence("id=show", "record(steps)")),
    );
    await until(() => made[2]!.isDisposed);
  });

  it("releases what an exercise's check made as soon as the check settles", async () => {
    const made: ReturnType<typeof fakeTensor>[] = [];
    const builtins = { make: () => () => (made.push(fakeTensor()), made.at(-1)) };
    const { host, state, idle } = setup(
      fence("id=answer exercise", "const answer = 42;") +
        fence(
          "check=answer",
          "{ own(make()); await Promise.resolve(); if (answer !== 42) throw new Error('no'); }",
        ),
      builtins,
    );
    const check = host.keys("nb").find((key) => key !== "nb/answer")!;
    host.show(check);
    await idle();
    expect(state(check.slice(3))?.state).toBe("ready");
    expect(made.map((t) => t.isDisposed)).toEqual([true]);
  });

  it("frees what a reader's edit made and left behind when it is reset", async () => {
    const made: ReturnType<typeof fakeTensor>[] = [];
    let sink: object[] | undefined;
    const host = new NotebookHost({
      builtins: { make: () => () => sink?.push(made[made.push(fakeTensor()) - 1]!) },
      trackEdits: () => (fn) => {
        const outer = sink;
        const mine: object[] = (sink = []);
        try {
          return { value: fn(), made: mine };
        } finally {
          sink = outer;
        }
      },
    });
    host.add(loadNotebook("nb", fence("id=a", "1")));
    host.show("nb/a");
    const leaky = loadNotebook("x", fence("id=a", "for (let i = 0; i < 3; i++) make(); 'leaked'"))
      .cells[0]!;
    host.replaceCell("nb/a", leaky);
    await until(() => host.stateOf("nb/a") === "ready" && made.length === 3);
    expect(made.map((t) => t.isDisposed)).toEqual([false, false, false]);
    host.restoreCell("nb/a");
    await until(() => made.every((t) => t.isDisposed));
  });

  it("leaves `signal`, `own` and `fit` to a notebook that defines them itself", async () => {
    const { show, seen, idle } = setup(
      fence("id=a", "const signal = 'mine';") + fence("id=b", "record(signal)"),
    );
    show("b");
    await idle();
    expect(seen).toEqual(["mine"]);
  });
});

describe("suspending what a cell owns while it is not shown", () => {
  /** A cell `worker` owning a suspendable thing, and a shown cell `view` that uses it. */
  function suspendSetup(suspendAfterMs: number) {
    const log: string[] = [];
    const builtins = {
      log: () => (line: string) => log.push(line),
    };
    const source =
      fence(
        "id=worker",
        `const worker = own({ suspend: () => log("suspend"), resume: () => log("resume"), dispose: () => log("dispose") });`,
      ) + fence("id=view", "record(worker)");
    return { log, ...setup(source, builtins, undefined, suspendAfterMs) };
  }

  it("suspends what a needed cell owns once its viewer has been hidden a while, and resumes it when shown", async () => {
    const { host, show, log, idle } = suspendSetup(30);
    show("view");
    await idle();
    host.setActive("nb/view", false);
    expect(log).toEqual([]); // not at once: a quick step through the deck stops nothing
    await until(() => log.length > 0);
    expect(log).toEqual(["suspend"]);
    host.setActive("nb/view", true);
    expect(log).toEqual(["suspend", "resume"]);
  });

  it("does not suspend a cell shown again within the delay, and disposes without resuming", async () => {
    const { host, show, log, idle } = suspendSetup(200);
    show("view");
    await idle();
    host.setActive("nb/view", false);
    host.setActive("nb/view", true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log).toEqual([]);
    host.setActive("nb/view", false);
    await until(() => log.length > 0);
    host.update(loadNotebook("nb", fence("id=view", "record(1)")));
    await until(() => log.length > 1);
    expect(log).toEqual(["suspend", "dispose"]);
  });
});

describe("fit: as wide as the output, at most N", () => {
  it("re-runs a cell that measured itself when its output is resized", async () => {
    const { host, show, seen, idle } = setup(fence("id=chart", "record(fit(640))"));
    host.resized("nb/chart", 500);
    show("chart");
    await idle();
    expect(seen).toEqual([500]);
    host.resized("nb/chart", 900);
    await until(() => seen.length === 2);
    expect(seen).toEqual([500, 640]);
  });

  it("keeps a generator running across a resize: it reads the new width at its next step", async () => {
    const { host, show, seen } = setup(
      fence(
        "id=train",
        "const frames = (async function* () { for (let step = 0; ; step++) { yield [step, fit(640)]; await new Promise((r) => setTimeout(r, 5)); } })();",
      ) + fence("id=show", "record(frames)"),
    );
    host.resized("nb/train", 400);
    show("train");
    show("show");
    await until(() => seen.length >= 2);
    host.resized("nb/train", 300);
    await until(() => (seen.at(-1) as number[])[1] === 300);
    const steps = seen.map((frame) => (frame as number[])[0]);
    // Counting on from where it was: never back to step 0.
    expect(steps).toEqual(steps.map((_, i) => i));
  });

  it("does not re-run a cell that never asked for its width", async () => {
    const { host, show, seen, idle } = setup(fence("id=plain", "record('ran')"));
    host.resized("nb/plain", 500);
    show("plain");
    await idle();
    host.resized("nb/plain", 800);
    await idle();
    expect(seen).toEqual(["ran"]);
  });
});
