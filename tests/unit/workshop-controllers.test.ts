// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import type { CellKey } from "../../src/compiler/cell-key.ts";
import { NotebookHost } from "../../src/runtime/host.ts";
import { createCellCompiler } from "../../src/runtime/live-compile.ts";
import { Notices } from "../../src/ui/notices.ts";
import { CellViews } from "../../src/view/cell-views.ts";
import { encodeRecord } from "../../src/workshop/stored-record.ts";
import { Workshop } from "../../src/workshop/workshop.ts";
import { CELL_HELPERS, fence, loadNotebook, until } from "./support/load-notebook.ts";
import { memoryStorage } from "./support/memory-storage.ts";

const NOTEBOOK =
  fence("id=x", "const x = 2;") +
  fence("id=double", "x * 2") +
  fence("id=answer exercise", "const answer = 0;") +
  "```hint for=answer\nIt is 42.\n```\n" +
  fence("solution=answer", "const answer = 42;") +
  fence("check=answer", "if (answer !== 42) throw new Error(`answer is ${answer}, expected 42`);");

let stop = () => {};
afterEach(() => stop());

async function setup(initial: Record<string, string> = {}) {
  stop();
  document.body.replaceChildren();
  const storage = memoryStorage(initial);
  const host = new NotebookHost({
    builtins: {},
    createRoot: (inline) => document.createElement(inline ? "span" : "div"),
  });
  const views = new CellViews(host);
  const notices = new Notices();
  const compiler = createCellCompiler(CELL_HELPERS);
  const pageRoot = () => document.body;
  const workshop = new Workshop({
    host,
    views,
    storage,
    notices,
    compiler: async () => compiler,
    pageRoot,
  });
  stop = () => workshop.dispose();
  const spec = loadNotebook("nb", NOTEBOOK);
  host.add(spec, await workshop.edited(spec));
  const show = (key: CellKey) => {
    const slot = document.createElement("div");
    document.body.append(slot);
    views.show(key, slot, { showCode: false, codeToggle: false });
    host.setActive(key, true);
    return slot;
  };
  const idle = () => until(() => host.busy().length === 0);
  return { storage, host, views, workshop, show, idle };
}

const output = (slot: HTMLElement) => slot.querySelector(".fd-output")?.textContent;

describe("EditController", () => {
  it("adds Edit to block cells, runs an edit in place, keeps it, and resets to the author's", async () => {
    const { host, workshop, show, idle, storage } = await setup();
    const xSlot = show("nb/x");
    const doubled = show("nb/double");
    await idle();
    expect(xSlot.querySelector(".fd-edit-button")?.textContent).toBe("Edit");
    expect(output(doubled)).toBe("4");

    await workshop.edits.run("nb/x", "const x = 5;");
    await until(() => output(doubled) === "10");
    expect(xSlot.querySelector("[data-cell]")?.hasAttribute("data-edited")).toBe(true);
    expect(storage.data.get("flowdeck:edits:nb")).toContain("const x = 5;");

    workshop.edits.reset("nb/x");
    await until(() => output(doubled) === "4");
    expect(host.cell("nb/x")).toBe(host.authored("nb/x"));
    expect(storage.data.has("flowdeck:edits:nb")).toBe(false);
  });

  it("defines a saved edit in place of the author's cell at load", async () => {
    const saved = encodeRecord("flowdeck-edits", {
      x: { source: "const x = 7;", baseSource: "const x = 2;", savedAt: 1 },
    });
    const { show, idle } = await setup({ "flowdeck:edits:nb": saved });
    const doubled = show("nb/double");
    await idle();
    expect(output(doubled)).toBe("14");
  });

  it("runs the author's new version over a stale edit, and says so with a choice", async () => {
    const stale = encodeRecord("flowdeck-edits", {
      x: { source: "const x = 7;", baseSource: "const x = 1;", savedAt: 1 },
    });
    const { show, idle } = await setup({ "flowdeck:edits:nb": stale });
    const xSlot = show("nb/x");
    const doubled = show("nb/double");
    await idle();
    expect(output(doubled)).toBe("4");
    const notice = xSlot.querySelector("[role=status]");
    expect(notice?.textContent).toContain("changed after you edited it");
    const buttons = [...(notice?.querySelectorAll("button") ?? [])].map((b) => b.textContent);
    expect(buttons).toEqual(["Compare", "Use my edit", "Discard my edit"]);
    notice?.querySelectorAll("button")[1]?.dispatchEvent(new Event("click"));
    await until(() => output(doubled) === "14");
  });

  it("says once, not at every save, that edits cannot be kept while storage is full", async () => {
    const { workshop, show, idle, storage } = await setup();
    show("nb/x");
    await idle();
    storage.full = true;
    await workshop.edits.run("nb/x", "const x = 3;");
    await workshop.edits.run("nb/x", "const x = 4;");
    const notices = [...document.querySelectorAll(".fd-notices .fd-notice")];
    expect(notices).toHaveLength(1);
    expect(notices[0]?.textContent).toContain("Not saved in this browser");
    expect(notices[0]?.textContent).toContain("nb/x");
    storage.full = false;
    await workshop.edits.run("nb/x", "const x = 6;");
    expect(document.querySelectorAll(".fd-notices .fd-notice")).toHaveLength(0);
  });
});

describe("edits from another tab", () => {
  it("run here too when the reader here is not typing in that cell", async () => {
    const { workshop, show, idle, storage } = await setup();
    const doubled = show("nb/double");
    show("nb/x");
    await idle();
    storage.setItem(
      "flowdeck:edits:nb",
      encodeRecord("flowdeck-edits", {
        x: { source: "const x = 9;", baseSource: "const x = 2;", savedAt: 1 },
      }),
    );
    await workshop.edits.otherTabChanged("nb");
    await until(() => output(doubled) === "18");
    storage.removeItem("flowdeck:edits:nb");
    await workshop.edits.otherTabChanged("nb");
    await until(() => output(doubled) === "4");
  });
});

describe("ExerciseController", () => {
  it("follows its checks: not started, failing with the check's message, passed", async () => {
    const { workshop, host, show, idle, storage } = await setup();
    const exercise = show("nb/answer");
    const check = host.keys("nb").find((key) => host.authored(key)?.checks === "answer")!;
    const checkSlot = show(check);
    await idle();
    await until(() => !!exercise.querySelector(".fd-exercise"));
    const status = () => exercise.querySelector(".fd-exercise-status")?.textContent;
    expect(status()).toBe("not started · 0 of 1 checks pass");
    expect(checkSlot.querySelector("[data-cell]")?.getAttribute("data-check")).toBe("answer");

    await workshop.edits.run("nb/answer", "const answer = 41;");
    const alert = () => checkSlot.querySelector("[role=alert]")?.textContent ?? "";
    await until(() => alert().includes("answer is 41, expected 42"));
    await until(() => status() === "failing · 0 of 1 checks pass");

    await workshop.edits.run("nb/answer", "const answer = 42;");
    await until(() => status() === "passed · 1 of 1 checks pass");
    await until(() => (storage.data.get("flowdeck:progress") ?? "").includes('"passed"'));
  });
});
