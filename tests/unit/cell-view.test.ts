// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { NotebookHost } from "../../src/runtime/host.ts";
import { CellViews } from "../../src/view/cell-views.ts";
import { fence, loadNotebook, until } from "./support/load-notebook.ts";

function setup(markdown: string) {
  const host = new NotebookHost({
    builtins: {},
    createRoot: (inline) => document.createElement(inline ? "span" : "div"),
  });
  host.add(loadNotebook("nb", markdown));
  const views = new CellViews(host);
  const show = (id: string, options = {}) => {
    const slot = document.createElement("div");
    document.body.append(slot);
    const view = views.show(`nb/${id}`, slot, { showCode: false, codeToggle: false, ...options });
    host.setActive(`nb/${id}`, true);
    return { slot, view: view! };
  };
  const idle = () => until(() => host.busy().length === 0);
  return { host, views, show, idle };
}

const text = (slot: HTMLElement, selector: string) => slot.querySelector(selector)?.textContent;

describe("CellView", () => {
  it("renders the value, and says data-cell and data-state", async () => {
    const { show, idle } = setup(fence("id=a", "6 * 7"));
    const { slot, view } = show("a");
    await idle();
    expect(view.state).toBe("ready");
    const cell = slot.querySelector("[data-cell='nb/a']");
    expect(cell?.getAttribute("data-state")).toBe("ready");
    expect(text(slot, ".fd-output")).toBe("42");
  });

  it("shows an error in an alert in place of the output, and the output again once fixed", async () => {
    const { host, show, idle } = setup(fence("id=a", "throw new Error('broken')"));
    const { slot } = show("a");
    await idle();
    expect(text(slot, "[role=alert]")).toBe("nb/a: broken");
    expect(slot.querySelector<HTMLElement>(".fd-output")?.hidden).toBe(true);
    host.replaceCell("nb/a", loadNotebook("x", fence("id=a", "'fixed'")).cells[0]!);
    await until(() => host.stateOf("nb/a") === "ready");
    expect(slot.querySelector<HTMLElement>("[role=alert]")?.hidden).toBe(true);
    expect(text(slot, ".fd-output")).toContain("fixed");
  });

  it("shows inline strings and numbers as plain text, without the inspector's quotes", async () => {
    const { show, idle } = setup("Value: ${(1.5).toFixed(2)} and ${[1, 2].length}\n");
    const slots = ["cell-1", "cell-2"].map((id) => show(id).slot);
    await idle();
    expect(slots.map((s) => text(s, ".fd-output"))).toEqual(["1.50", "2"]);
  });

  it("moves one live view to the newest place and says so in the other", () => {
    const { views } = setup(fence("id=a", "1 + 1"));
    const first = document.createElement("div");
    const second = document.createElement("div");
    const options = { showCode: false, codeToggle: false };
    const view = views.show("nb/a", first, options);
    expect(views.show("nb/a", second, options)).toBe(view);
    expect(second.querySelector("[data-cell='nb/a']")).not.toBeNull();
    expect(first.textContent).toBe("nb/a is shown in another place on this page");
    views.show("nb/a", first, options);
    expect(first.querySelector("[data-cell='nb/a']")).not.toBeNull();
  });

  it("offers actions, a notice, an editor slot, marks and panels through its API", async () => {
    const { show } = setup(fence("id=a echo", "1"));
    const { slot, view } = show("a");
    let clicks = 0;
    view.addAction("edit", { label: "Edit", title: "edit", run: () => clicks++ });
    view.addAction("run", { label: "Run", title: "run", run: () => {}, first: true });
    const bar = [...slot.querySelectorAll(".fd-cell-bar button")].map((b) => b.textContent);
    expect(bar).toEqual(["Run", "Edit"]);
    slot.querySelector<HTMLButtonElement>(".fd-edit-button")?.click();
    expect(clicks).toBe(1);
    view.removeAction("run");
    expect(view.hasAction("run")).toBe(false);

    view.setNotice(["Changed. ", { label: "Compare", title: "compare", run: () => clicks++ }]);
    expect(text(slot, "[role=status]")).toBe("Changed. Compare");
    view.setNotice(undefined);
    expect(slot.querySelector<HTMLElement>("[role=status]")?.hidden).toBe(true);

    expect(view.codeShown).toBe(true);
    const editor = view.openEditorSlot();
    expect(view.editing).toBe(true);
    expect(view.codeShown).toBe(false);
    editor.append("an editor");
    view.closeEditorSlot();
    expect(view.codeShown).toBe(true);

    view.setMark("edited", "");
    expect(slot.querySelector("[data-cell]")?.hasAttribute("data-edited")).toBe(true);
    view.setMark("edited", undefined);
    expect(slot.querySelector("[data-cell]")?.hasAttribute("data-edited")).toBe(false);

    const panel = document.createElement("section");
    view.addPanel(panel);
    expect(slot.contains(panel)).toBe(true);
  });

  it("puts a hidden listing's code in the page only once it is shown, the newest after an edit", async () => {
    const { host, show } = setup(fence("id=a", "const answer = 6 * 7;"));
    const { slot, view } = show("a", { codeToggle: true });
    const listing = () => slot.querySelector("pre.fd-code")?.textContent;
    expect(view.codeShown).toBe(false);
    expect(listing()).toBe("");
    host.replaceCell("nb/a", loadNotebook("x", fence("id=a", "const answer = 43;")).cells[0]!);
    await until(() => host.stateOf("nb/a") === "ready");
    expect(listing()).toBe("");
    slot.querySelector<HTMLButtonElement>(".fd-code-toggle")?.click();
    expect(view.codeShown).toBe(true);
    expect(listing()).toContain("answer = 43");
    view.openEditorSlot();
    view.closeEditorSlot();
    expect(listing()).toContain("answer = 43");
  });

  it("reads and sets the value of the input a view(…) cell shows", async () => {
    const { host, show, idle } = setup(
      fence(
        "id=n",
        "const n = view(Object.assign(document.createElement('input'), {value: '3'}));",
      ) + fence("id=twice", "n * 2"),
    );
    const { view } = show("n");
    const { slot: shown } = show("twice");
    await idle();
    expect(view.inputValue()).toEqual({ value: "3" });
    expect(view.setInputValue("5")).toBe(true);
    await until(() => text(shown, ".fd-output") === "10");
    expect(host.stateOf("nb/twice")).toBe("ready");
  });
});
