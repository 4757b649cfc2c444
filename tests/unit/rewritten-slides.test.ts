// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  keepOutputsThroughRewrites,
  numberSlots,
  returnOutputs,
} from "../../src/deck/rewritten-slides.ts";
import { NotebookHost } from "../../src/runtime/host.ts";
import { CellViews } from "../../src/view/cell-views.ts";
import { fence, loadNotebook, until } from "./support/load-notebook.ts";

/** Two slides showing the same cell twice (the second place shows it) and one more cell. */
function deck() {
  const host = new NotebookHost({
    builtins: {},
    createRoot: (inline) => document.createElement(inline ? "span" : "div"),
  });
  host.add(loadNotebook("nb", fence("id=a", "'A'") + fence("id=b", "'B'")));
  const views = new CellViews(host);
  const root = document.createElement("div");
  root.innerHTML = `
    <section><div data-slot="nb/a"></div><div data-slot="nb/b"></div></section>
    <section><div data-slot="nb/a"></div></section>`;
  document.body.replaceChildren(root);
  numberSlots(root);
  const slots = () => Array.from(root.querySelectorAll<HTMLElement>("[data-slot]"));
  const show = (n: number) => {
    const slot = slots()[n]!;
    const key = slot.dataset.slot as `${string}/${string}`;
    const view = views.show(key, slot, { showCode: false, codeToggle: false })!;
    host.setActive(key, true);
    return view;
  };
  return { host, views, root, slots, show };
}

describe("cells through a rewrite of the slides' HTML (reveal's scroll view turning off)", () => {
  it("go back, live, into the slots of their places' numbers, replacing the dead copies", async () => {
    const { host, views, root, slots, show } = deck();
    show(0);
    const b = show(1);
    const a = show(2); // moves nb/a to the second slide
    await until(() => host.busy().length === 0);
    const saved = root.innerHTML; // as reveal saves it when its scroll view turns on
    b.park();
    const liveA = slots()[2]!.firstElementChild!;
    root.innerHTML = saved;
    expect(slots()[2]!.firstElementChild).not.toBe(liveA); // a copy

    expect(returnOutputs(root, views.all())).toBe(2);
    expect(slots()[2]!.firstElementChild).toBe(liveA);
    expect(a.place).toBe(slots()[2]);
    // A parked cell stays parked, its new place emptied of the copy, and comes back there.
    expect(b.parked).toBe(true);
    expect(slots()[1]!.childElementCount).toBe(0);
    b.unpark();
    expect(slots()[1]!.textContent).toContain("B");
    // Live: a new value reaches the cell's element in its new place.
    host.replaceCell("nb/a", loadNotebook("x", fence("id=a", "'A again'")).cells[0]!);
    await until(() => slots()[2]!.textContent?.includes("A again") === true);
    // Nothing left to move: the places are in the document.
    expect(returnOutputs(root, views.all())).toBe(0);
  });

  it("follows rewrites by itself and says when it moved cells", async () => {
    const { host, views, root, slots, show } = deck();
    show(0);
    await until(() => host.busy().length === 0);
    let returned = 0;
    const stop = keepOutputsThroughRewrites(
      root,
      () => views.all(),
      () => returned++,
    );
    const saved = root.innerHTML;
    root.append(document.createElement("section")); // a rewrite that moves no cell
    await Promise.resolve();
    expect(returned).toBe(0);
    root.innerHTML = saved;
    await until(() => returned === 1);
    expect(slots()[0]!.textContent).toContain("A");
    expect(views.get("nb/a")!.place).toBe(slots()[0]);
    stop();
  });
});
