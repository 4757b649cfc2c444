// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { NotebookHost } from "../../src/runtime/notebook-host.ts";
import { loadNotebook } from "./support/load-notebook.ts";

const fence = (options: string, code: string) => "```js " + options + "\n" + code + "\n```\n";

function setup(markdown: string, builtins: Record<string, () => unknown> = {}) {
  const host = new NotebookHost(builtins);
  host.add(loadNotebook("nb", markdown));
  const slots = new Map<string, HTMLElement>();
  const mount = (id: string) => {
    const slot = document.createElement("div");
    document.body.append(slot);
    slots.set(id, slot);
    host.mount(`nb/${id}`, slot, { showCode: false });
    host.setActive(`nb/${id}`, true);
    return slot;
  };
  return { host, mount, slots };
}

async function until(check: () => boolean, ms = 2000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const output = (slot: HTMLElement | undefined) => slot?.querySelector(".fd-output")?.textContent;

const stateOf = (host: NotebookHost, id: string) => host.cells().find((c) => c.id === id);

describe("NotebookHost", () => {
  it("computes a mounted cell and its inputs, and nothing else", async () => {
    const runs: string[] = [];
    const { host, mount } = setup(
      fence("id=a", "const x = (runs.push('a'), 2);") +
        fence("id=b", "const y = (runs.push('b'), x * 10);") +
        fence("id=c", "(runs.push('c'), 'unused')"),
      { runs: () => runs },
    );
    const slot = mount("b");
    await until(() => stateOf(host, "b")?.state === "ready");
    expect(runs.sort()).toEqual(["a", "b"]);
    expect(slot.querySelector("[data-cell='nb/b']")?.getAttribute("data-state")).toBe("ready");
  });
});

describe("NotebookHost: reactivity and hot reload", () => {
  it("re-runs dependents when a cell is redefined and keeps unchanged cells' state", async () => {
    const runs: string[] = [];
    const source = (n: number) =>
      fence("id=a", `const x = (runs.push('a'), ${n});`) +
      fence("id=b", "(runs.push('b'), x * 10)") +
      fence("id=c", "(runs.push('c'), 'independent')");
    const { host, mount, slots } = setup(source(1), { runs: () => runs });
    mount("b");
    mount("c");
    await until(
      () => stateOf(host, "b")?.state === "ready" && stateOf(host, "c")?.state === "ready",
    );
    runs.length = 0;
    host.update(loadNotebook("nb", source(2)));
    await until(() => runs.includes("b") && stateOf(host, "b")?.state === "ready");
    expect(runs.sort()).toEqual(["a", "b"]);
    expect(output(slots.get("b"))).toBe("20");
  });
});

describe("NotebookHost: errors", () => {
  const notebook =
    fence("id=bad", "const data = (() => { throw new Error('no data'); })();") +
    fence("id=uses", "data.length") +
    fence("id=fine", "1 + 1") +
    fence("id=typo", "const a = 1;\nconst b = ;");

  it("shows each failure in place, naming the failed input for dependents", async () => {
    const { host, mount, slots } = setup(notebook);
    for (const id of ["bad", "uses", "fine", "typo"]) mount(id);
    await until(() => host.busy().length === 0);
    const alert = (id: string) => slots.get(id)?.querySelector("[role=alert]")?.textContent;
    expect(stateOf(host, "bad")).toMatchObject({ state: "error", error: "nb/bad: no data" });
    expect(alert("uses")).toBe("nb/uses: Input `data` failed (in cell nb/bad): no data");
    expect(stateOf(host, "fine")?.state).toBe("ready");
    expect(slots.get("fine")?.querySelector("[role=alert]")).toHaveProperty("hidden", true);
    expect(alert("typo")).toMatch(/^nb\/typo: SyntaxError: .* \(line 2, column 11\)$/);
  });
});

describe("NotebookHost: lifecycle", () => {
  function fakeTensor() {
    return {
      dataId: {},
      shape: [1],
      isDisposed: false,
      dispose() {
        this.isDisposed = true;
      },
    };
  }

  it("disposes the tensors a cell returned when it re-runs", async () => {
    const made: ReturnType<typeof fakeTensor>[] = [];
    const make = () => {
      const t = fakeTensor();
      made.push(t);
      return t;
    };
    const source = (n: number) => fence("id=t", `const t = make(); const n = ${n};`);
    const { host, mount } = setup(source(1), { make: () => make });
    mount("t");
    await until(() => stateOf(host, "t")?.state === "ready");
    host.update(loadNotebook("nb", source(2)));
    await until(() => made.length === 2 && stateOf(host, "t")?.state === "ready");
    expect(made.map((t) => t.isDisposed)).toEqual([true, false]);
  });

  it("pauses a cell's generator while its gate is closed and resumes it after", async () => {
    const { host, mount, slots } = setup(
      fence("id=count", "const count = (function* () { for (let i = 0; ; ++i) yield i; })();") +
        fence("id=show", "count"),
    );
    mount("show");
    const value = () => Number(output(slots.get("show")));
    await until(() => value() > 3);
    host.setActive("nb/show", false);
    await new Promise((r) => setTimeout(r, 50));
    const paused = value();
    await new Promise((r) => setTimeout(r, 100));
    expect(value()).toBe(paused);
    host.setActive("nb/show", true);
    await until(() => value() > paused + 2);
  });
});

describe("NotebookHost: inline cells", () => {
  it("shows strings and numbers as plain text, without the inspector's quotes", async () => {
    const host = new NotebookHost({});
    host.add(loadNotebook("nb", "Value: ${(1.5).toFixed(2)} and ${[1, 2].length}\n"));
    const slots = Array.from({ length: 2 }, (_, i) => {
      const slot = document.createElement("span");
      host.mount(`nb/cell-${i + 1}`, slot, { showCode: false });
      return slot;
    });
    await until(() => host.busy().length === 0);
    expect(slots.map((s) => s.querySelector(".fd-output")?.textContent)).toEqual(["1.50", "2"]);
  });
});

describe("NotebookHost: lazy cells", () => {
  it("does not run a cell that declares variables until something shown needs it", async () => {
    const runs: string[] = [];
    const { host, mount } = setup(
      fence("id=declares", "const x = (runs.push('declares'), 1);") +
        fence("id=alsoDeclares", "const y = (runs.push('alsoDeclares'), 2);") +
        fence("id=shown", "x + 1"),
      { runs: () => runs },
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toEqual([]);
    mount("shown");
    await until(() => host.busy().length === 0 && runs.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toEqual(["declares"]);
  });
});

describe("NotebookHost: one cell in two places", () => {
  it("moves the live view to the newest place and says so in the other", () => {
    const host = new NotebookHost({});
    host.add(loadNotebook("nb", fence("id=a", "1 + 1")));
    const first = document.createElement("div");
    const second = document.createElement("div");
    host.mount("nb/a", first, { showCode: false });
    host.mount("nb/a", second, { showCode: false });
    expect(second.querySelector("[data-cell='nb/a']")).not.toBeNull();
    expect(first.textContent).toBe("nb/a is shown in another place on this page");
    host.mount("nb/a", first, { showCode: false });
    expect(first.querySelector("[data-cell='nb/a']")).not.toBeNull();
  });
});
