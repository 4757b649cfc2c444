/**
 * The live views of a page's cells: one per cell, however many places show it. A cell shown in
 * a second place moves there, and the first place says where it went.
 */
import type { CellKey } from "../compiler/cell-key.ts";
import type { NotebookHost } from "../runtime/host.ts";
import { CellView, type CellViewOptions } from "./cell-view.ts";

export interface ShowOptions extends CellViewOptions {
  /** shown without running: the cell waits for `host.run()` (safe mode) */
  held?: boolean;
}

export class CellViews {
  readonly #host: NotebookHost;
  readonly #views = new Map<CellKey, CellView>();
  readonly #created = new Set<(view: CellView) => void>();

  constructor(host: NotebookHost) {
    this.#host = host;
  }

  get(key: CellKey): CellView | undefined {
    return this.#views.get(key);
  }

  all(): CellView[] {
    return [...this.#views.values()];
  }

  /** Views inside `root` (a slide, a section of a page), in document order. */
  within(root: Node): CellView[] {
    const views = this.all().filter((view) => view.isWithin(root));
    return views.sort((a, b) => (a.place && b.place ? order(a.place, b.place) : 0));
  }

  /** Hears about every view made from now on (the workshop adds its actions there). */
  onCreate(listener: (view: CellView) => void): () => void {
    this.#created.add(listener);
    return () => this.#created.delete(listener);
  }

  /** Shows a cell in `slot`; undefined when the cell does not exist. */
  show(key: CellKey, slot: HTMLElement, options: ShowOptions): CellView | undefined {
    const cell = this.#host.cell(key);
    if (!cell) return undefined;
    let view = this.#views.get(key);
    if (!view) {
      view = new CellView(this.#host, key, cell, options);
      this.#views.set(key, view);
      this.#host.show(key, { run: !options.held });
      for (const listener of this.#created) listener(view);
    } else if (options.showCode) {
      view.showCode(true);
    }
    const previous = view.place;
    if (previous !== slot) {
      view.placeIn(slot);
      if (previous) previous.replaceChildren(elsewhere(key));
    } else {
      view.unpark();
    }
    return view;
  }
}

function order(a: Node, b: Node): number {
  return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
}

function elsewhere(key: CellKey): HTMLElement {
  const note = document.createElement("div");
  note.className = "fd-elsewhere";
  note.textContent = `${key} is shown in another place on this page`;
  return note;
}
