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
