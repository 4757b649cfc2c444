// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { FarOutputs, shownByReveal } from "../../src/deck/far-outputs.ts";
import { NotebookHost } from "../../src/runtime/host.ts";
import { CellViews } from "../../src/view/cell-views.ts";
import { fence, loadNotebook, until } from "./support/load-notebook.ts";

/** A deck of three slides, the last a stack of two, each with one cell; as reveal builds it. */
function deck() {
  const host = new NotebookHost({
    builtins: {},
    createRoot: (inline) => document.createElement(inline ? "span" : "div"),
  });
  host.add(loadNotebook("nb", fence("id=a", "'A'") + fence("id=b", "'B'") + fence("id=c", "'C'")));
  const views = new CellViews(host);
  const root = document.createElement("div");
  root.className = "slides";
  root.innerHTML = `
    <section id="one"><div data-slot="nb/a"></div></section>
    <section id="two"><div data-slot="nb/b"></div></section>
    <section id="stack"><section id="three"><div data-slot="nb/c"></div></section></section>`;
  document.body.replaceChildren(root);
  const slot = (key: string) => root.querySelector<HTMLElement>(`[data-slot="nb/${key}"]`)!;
  const output = (key: string) => slot(key).querySelector(".fd-output")?.textContent;
  const show = (key: string) => {
    const view = views.show(`nb/${key}`, slot(key), { showCode: false, codeToggle: false })!;
    host.setActive(`nb/${key}`, true);
    return view;
  };
  let allShown = false;
  const far = new FarOutputs({ root, views: () => views.all(), allShown: () => allShown });
  const section = (id: string) => root.querySelector<HTMLElement>(`#${id}`)!;
  return {
    host,
    views,
    root,
    slot,
    output,
    show,
    far,
    section,
    setAllShown: (v: boolean) => (allShown = v),
  };
}

describe("FarOutputs", () => {
  it("takes the outputs of the slides reveal hides out of the page, and puts them back when shown", async () => {
    const { host, views, root, slot, output, show, far, section } = deck();
    const [a, b, c] = [show("a"), show("b"), show("c")];
    await until(() => host.busy().length === 0);
    const parkedCell = slot("b").firstElementChild!;
    section("two").style.display = "none";
    section("stack").style.display = "none";
    far.update();
    expect([a.parked, b.parked, c.parked]).toEqual([false, true, true]);
    expect(slot("b").childElementCount).toBe(0);
    expect(output("b")).toBeUndefined();
    // Still placed: found in its slide, in deck order, and shown there again by a mount.
    expect(b.isWithin(section("two"))).toBe(true);
    expect(views.within(root).map((v) => v.key)).toEqual(["nb/a", "nb/b", "nb/c"]);

    // A parked cell goes on computing into its output.
    host.replaceCell("nb/b", loadNotebook("x", fence("id=b", "'B again'")).cells[0]!);
    await until(() => parkedCell.textContent?.includes("B again") === true);
    expect(parkedCell.isConnected).toBe(false);
    section("two").style.display = "block";
    far.update();
    expect(b.parked).toBe(false);
    expect(output("b")).toContain("B again");

    far.bringBack(section("stack"));
    expect(c.parked).toBe(false);
    expect(output("c")).toContain("C");
  });

  it("leaves everything in place where every slide is on view, and a mount puts a parked cell back", () => {
    const { show, far, section, slot, setAllShown } = deck();
    const b = show("b");
    section("two").style.display = "none";
    far.update();
    expect(b.parked).toBe(true);
    show("b");
    expect(b.parked).toBe(false);
    far.update();
    setAllShown(true);
    far.update();
    expect(b.parked).toBe(false);
    expect(slot("b").childElementCount).toBe(1);
  });

  it("reads reveal's hiding from the slide and from its stack", () => {
    const { root, section, slot } = deck();
    expect(shownByReveal(slot("c"), root)).toBe(true);
    section("stack").style.display = "none";
    expect(shownByReveal(slot("c"), root)).toBe(false);
    section("stack").style.display = "block";
    section("three").style.display = "none";
    expect(shownByReveal(slot("c"), root)).toBe(false);
    expect(shownByReveal(slot("a"), root)).toBe(true);
  });
});
