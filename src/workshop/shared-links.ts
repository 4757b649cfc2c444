/**
 * A notebook page's link follows its inputs: moving a slider updates the URL, and opening the URL
 * puts the sliders back. Code in a link is shown first and runs only when the reader says so.
 */
import { cellKey, parseCellKey } from "../compiler/cell-key.ts";
import type { NotebookHost } from "../runtime/host.ts";
import type { Notices } from "../ui/notices.ts";
import type { CellView } from "../view/cell-view.ts";
import type { CellViews } from "../view/cell-views.ts";
import type { EditController } from "./edit-controller.ts";
import { SEED_PARAM, isShareable, readShared, seededRandom, writeShared } from "./share.ts";

const URL_UPDATE_MS = 250;

/** With `?seed=N`, Math.random is seeded, so random data in cells repeats for whoever opens the link. */
export function seedRandomFromUrl(search: string): number | undefined {
  const seed = Number(new URLSearchParams(search).get(SEED_PARAM));
  if (!Number.isInteger(seed) || seed <= 0) return undefined;
  Math.random = seededRandom(seed);
  return seed;
}

export class SharedLinks {
  readonly #notebook: string;
  readonly #host: NotebookHost;
  readonly #views: CellViews;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(notebook: string, host: NotebookHost, views: CellViews) {
    this.#notebook = notebook;
    this.#host = host;
    this.#views = views;
  }

  /** The notebook's cells that show an input (`view(…)`), by cell id. */
  #inputCells(): Map<string, CellView> {
    const cells = new Map<string, CellView>();
    for (const key of this.#host.keys(this.#notebook)) {
      const view = this.#views.get(key);
      const id = parseCellKey(key)?.cell;
      if (view && id && this.#host.cell(key)?.inputs.includes("view")) cells.set(id, view);
    }
    return cells;
  }

  /** Puts the link's input values back, then keeps the link in step with the inputs. */
  follow(): void {
    const { inputs } = readShared(location.search);
    for (const [id, view] of this.#inputCells()) {
      if (id in inputs) view.setInputValue(inputs[id]);
      view.onInput(() => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#record(), URL_UPDATE_MS);
      });
    }
  }

  #record(): void {
    const values: Record<string, unknown> = {};
    for (const [id, view] of this.#inputCells()) {
      const input = view.inputValue();
      if (input && input.value !== undefined && isShareable(input.value)) values[id] = input.value;
    }
    const search = writeShared(location.search, { inputs: values });
    history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
  }
}

/** A link with code: show it, and run it only if the reader accepts. */
export function offerSharedCode(notebook: string, edits: EditController, notices: Notices): void {
  const { code } = readShared(location.search);
  const ids = Object.keys(code);
  if (!ids.length) return;
  const forget = () => {
    const search = writeShared(location.search, { code: {} });
    history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
  };
  notices.show(
    `This link carries edited code for ${ids.map((id) => `“${id}”`).join(", ")}. It has not run: review it, then run it only if you trust it.`,
    [
      {
        label: "Review the code",
        run: () => {
          for (const id of ids) void edits.review(cellKey(notebook, id), code[id] ?? "");
          offerSharedCode(notebook, edits, notices);
        },
      },
      {
        label: "Run it",
        run: () => {
          for (const id of ids) void edits.run(cellKey(notebook, id), code[id] ?? "");
          forget();
        },
      },
      { label: "Ignore", run: forget },
    ],
  );
}

/** A link to this page that carries the reader's edits (and the current inputs and seed). */
export function linkWithEdits(edits: Record<string, string>): string {
  const search = writeShared(location.search, { code: edits });
  return `${location.origin}${location.pathname}${search}${location.hash}`;
}
