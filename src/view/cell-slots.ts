/**
 * Connects the cell slots of a page (`[data-slot="notebook/cell"]`, placed by the compiler) to
 * the cells: a slot's notebook is loaded and its cell shown when its slide or its place on the
 * page comes into view, and its generators run only while it is in view.
 */
import { addLineSteps } from "./line-steps.ts";
import { parseCellKey, type CellKey } from "../compiler/cell-key.ts";
import type { NotebookHost } from "../runtime/host.ts";
import type { CellView } from "./cell-view.ts";
import type { CellViews } from "./cell-views.ts";

export interface SlotOptions {
  host: NotebookHost;
  views: CellViews;
  /** loads and defines a notebook (once); false when there is no such notebook */
  load: (notebook: string) => Promise<boolean>;
  /** show every cell's code (the reading view) */
  showCode: boolean;
  /** offer a button on each cell to show or hide its code */
  codeToggle: boolean;
  /** cells that wait for the reader to start them (safe mode) */
  held: (key: CellKey) => boolean;
}

export function slotKey(slot: Element): CellKey | undefined {
  const key = slot.getAttribute("data-slot");
  return key && parseCellKey(key) ? (key as CellKey) : undefined;
}

export function slotsIn(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>("[data-slot]"));
}

export class CellSlots {
  readonly #options: SlotOptions;
  #active = new Set<HTMLElement>();

  constructor(options: SlotOptions) {
    this.#options = options;
  }

  /** Loads the slot's notebook and shows its cell there (once). Resolves when shown. */
  async mount(slot: HTMLElement): Promise<CellView | undefined> {
    const { host, views, load } = this.#options;
    const key = slotKey(slot);
    const address = key && parseCellKey(key);
    if (!key || !address) return undefined;
    const found = await load(address.notebook);
    const view = found
      ? views.show(key, slot, {
          showCode: this.#options.showCode || slot.dataset.code === "true",
          codeToggle: this.#options.codeToggle,
          held: this.#options.held(key),
        })
      : undefined;
    if (!view) {
      slot.replaceChildren(missingCell(key, found ? "no such cell" : "no such notebook"));
      return undefined;
    }
    const lineSteps = slot.dataset.lineNumbers;
    const code = slot.querySelector<HTMLElement>("pre.fd-code");
    if (lineSteps && code && !code.querySelector(".fd-line-step")) addLineSteps(code, lineSteps);
    if (host.isHeld(key)) this.#offerRun(view);
    host.setActive(key, this.#active.has(slot));
    return view;
  }

  /** Safe mode: a cell starts only when the reader asks. */
  #offerRun(view: CellView): void {
    view.addAction("run", {
      label: "Run",
      title: "Safe mode: run this cell (and what it needs)",
      first: true,
      run: () => {
        this.#options.host.run(view.key);
        view.removeAction("run");
      },
    });
  }

  /** Makes exactly these slots the active ones (their loops run; all others pause). */
  async activate(slots: Iterable<HTMLElement>): Promise<void> {
    const next = new Set(slots);
    for (const slot of this.#active) {
      const key = slotKey(slot);
      if (!next.has(slot) && key) this.#options.host.setActive(key, false);
    }
    this.#active = next;
    await Promise.all([...next].map((slot) => this.mount(slot)));
  }

  /** Active while visible in the viewport: for scrolling pages. */
  observeVisibility(slots: HTMLElement[]): void {
    const visible = new Set<HTMLElement>();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const slot = entry.target as HTMLElement;
          if (entry.isIntersecting) visible.add(slot);
          else visible.delete(slot);
        }
        void this.activate(visible);
      },
      { rootMargin: "200px 0px" },
    );
    for (const slot of slots) observer.observe(slot);
  }
}

function missingCell(key: string, why: string): HTMLElement {
  const element = document.createElement("div");
  element.className = "fd-cell";
  element.dataset.cell = key;
  element.dataset.state = "error";
  const alert = document.createElement("div");
  alert.className = "fd-error";
  alert.setAttribute("role", "alert");
  alert.textContent = `${key}: ${why}`;
  element.append(alert);
  return element;
}
