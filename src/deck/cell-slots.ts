/**
 * Connects the cell slots of a page (`[data-slot="notebook/cell"]`) to the engine: a slot's cell
 * is loaded and mounted when its slide or its place on the page comes into view, and its
 * generators run only while it is in view.
 */
import type { Engine } from "../app/engine.ts";
import type { CellView } from "../runtime/cell-view.ts";

export interface SlotOptions {
  /** show every cell's code (the reading view) */
  showCode: boolean;
  /** offer a button on each cell to show or hide its code */
  codeToggle: boolean;
}

export function slotKey(slot: Element): string | undefined {
  return slot.getAttribute("data-slot") ?? undefined;
}

export function slotsIn(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>("[data-slot]"));
}

export class CellSlots {
  readonly #engine: Engine;
  readonly #options: SlotOptions;
  #active = new Set<HTMLElement>();

  constructor(engine: Engine, options: SlotOptions) {
    this.#engine = engine;
    this.#options = options;
  }

  /** Loads the slot's notebook and mounts its cell (once). Resolves when mounted. */
  async mount(slot: HTMLElement): Promise<void> {
    const key = slotKey(slot);
    if (!key) return;
    const notebook = key.slice(0, key.indexOf("/"));
    const spec = await this.#engine.load(notebook);
    const view = this.#engine.host.mount(key, slot, {
      showCode: this.#options.showCode || slot.dataset.code === "true",
      codeToggle: this.#options.codeToggle,
      deferRun: this.#engine.safe,
    });
    if (!spec || !view) {
      slot.replaceChildren(missingCell(key, spec ? "no such cell" : "no such notebook"));
      return;
    }
    this.#engine.workshop?.decorate(key, view);
    if (this.#engine.safe) this.#offerRun(key, view);
    this.#engine.host.setActive(key, this.#active.has(slot));
  }

  /** Safe mode: a cell starts only when the reader asks. */
  #offerRun(key: string, view: CellView): void {
    if (view.bar.querySelector(".fd-run-button")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fd-run-button";
    button.textContent = "Run";
    button.title = "Safe mode: run this cell (and what it needs)";
    button.addEventListener("click", () => {
      this.#engine.host.run(key);
      button.remove();
    });
    view.bar.prepend(button);
  }

  /** Makes exactly these slots the active ones (their loops run; all others pause). */
  async activate(slots: Iterable<HTMLElement>): Promise<void> {
    const next = new Set(slots);
    for (const slot of this.#active) {
      const key = slotKey(slot);
      if (!next.has(slot) && key) this.#engine.host.setActive(key, false);
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
