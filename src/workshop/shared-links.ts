/**
 * A notebook page's link follows its inputs: moving a slider updates the URL, and opening the URL
 * puts the sliders back. Code in a link is shown first and runs only when the reader says so.
 */
import type { NotebookHost } from "../runtime/notebook-host.ts";
import type { Notices } from "../ui/notices.ts";
import { SEED_PARAM, isShareable, readShared, seededRandom, writeShared } from "./share.ts";
import type { Workshop } from "./workshop.ts";

const URL_UPDATE_MS = 250;

/** With `?seed=N`, Math.random is seeded, so random data in cells repeats for whoever opens the link. */
export function seedRandomFromUrl(search: string): number | undefined {
  const seed = Number(new URLSearchParams(search).get(SEED_PARAM));
  if (!Number.isInteger(seed) || seed <= 0) return undefined;
  Math.random = seededRandom(seed);
  return seed;
}

/** The value an input shows: Observable Inputs put it on the element as `value`. */
function inputOf(cell: Element): (Element & { value: unknown }) | undefined {
  const root = cell.querySelector(".fd-output .fd-root");
  const candidate = root?.firstElementChild;
  return candidate && "value" in candidate
    ? (candidate as Element & { value: unknown })
    : undefined;
}

export class SharedLinks {
  readonly #notebook: string;
  readonly #host: NotebookHost;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(notebook: string, host: NotebookHost) {
    this.#notebook = notebook;
    this.#host = host;
  }

  /** The cells that show an input (`view(…)`), by id. */
  #viewCells(root: ParentNode): Map<string, Element> {
    const cells = new Map<string, Element>();
    for (const cell of root.querySelectorAll<HTMLElement>(`[data-cell^="${this.#notebook}/"]`)) {
      const key = cell.dataset.cell ?? "";
      if (this.#host.cell(key)?.inputs.includes("view"))
        cells.set(key.slice(this.#notebook.length + 1), cell);
    }
    return cells;
  }

  /** Puts the link's input values back, then keeps the link in step with the inputs. */
  follow(root: HTMLElement): void {
    const { inputs } = readShared(location.search);
    for (const [id, cell] of this.#viewCells(root)) {
      const input = inputOf(cell);
      if (!input || !(id in inputs)) continue;
      input.value = inputs[id];
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    root.addEventListener("input", () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#record(root), URL_UPDATE_MS);
    });
  }

  #record(root: HTMLElement): void {
    const values: Record<string, unknown> = {};
    for (const [id, cell] of this.#viewCells(root)) {
      const value = inputOf(cell)?.value;
      if (value !== undefined && isShareable(value)) values[id] = value;
    }
    const search = writeShared(location.search, { inputs: values });
    history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
  }
}

/** A link with code: show it, and run it only if the reader accepts. */
export function offerSharedCode(notebook: string, workshop: Workshop, notices: Notices): void {
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
          for (const id of ids) void workshop.review(`${notebook}/${id}`, code[id] ?? "");
          offerSharedCode(notebook, workshop, notices);
        },
      },
      {
        label: "Run it",
        run: () => {
          for (const id of ids) void workshop.run(`${notebook}/${id}`, code[id] ?? "");
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
