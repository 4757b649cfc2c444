/**
 * A page that died while running a reader's edit recovers by itself: the edited cells that ran
 * in it (or the one whose code emptied it) are shown held back at the next load, each saying why
 * and offering to run it or go back to the notebook's code. While this page lives it keeps its
 * journal (see page-journal.ts): a heartbeat, the edited cells that ran, and whether a cell's code
 * removed the page, in which case it says so in what is left of the page.
 */
import type { CellKey } from "../compiler/cell-key.ts";
import type { NotebookHost } from "../runtime/host.ts";
import type { CellView } from "../view/cell-view.ts";
import { BEAT_MS, type Holds, type PageJournal } from "./page-journal.ts";

export interface RecoveryOptions {
  host: NotebookHost;
  journal: PageJournal;
  /** the element whose removal means that a cell's code emptied the page */
  pageRoot: () => Element | null;
  /** runs a held cell's edit after all */
  run: (key: CellKey) => void;
  /** goes back to the notebook's code for a cell */
  reset: (key: CellKey) => void;
}

const REASONS = {
  froze:
    "the page stopped responding (or the browser closed it) while this cell's edited code was running",
  emptied: "this cell's edited code removed the page",
} as const;

export class Recovery {
  readonly #options: RecoveryOptions;
  readonly #holds: Holds;
  /** the edited cell that started running last: the likeliest culprit if the page is emptied */
  #lastEdited: CellKey | undefined;

  constructor(options: RecoveryOptions) {
    this.#options = options;
    this.#holds = options.journal.open();
  }

  isHeld(key: CellKey): boolean {
    return key in this.#holds;
  }

  /** Held cells say why; every cell's edited runs go in the journal. */
  decorate(view: CellView): void {
    const { host, journal } = this.#options;
    const key = view.key;
    host.watch(key, (event) => {
      if (event.type !== "state" || event.state !== "running") return;
      if (host.cell(key) === host.authored(key)) return;
      this.#lastEdited = key;
      journal.ran(key);
    });
    const hold = this.#holds[key];
    if (!hold) return;
    const release = () => {
      delete this.#holds[key];
      journal.release(key);
      view.setNotice(undefined);
    };
    view.setNotice([
      `Held back: ${REASONS[hold.reason]}. It has not run here. `,
      {
        label: "Run it",
        title: "Run this cell's edited code",
        run: () => {
          release();
          this.#options.run(key);
        },
      },
      {
        label: "Use the notebook's code",
        title: "Forget the edit and run the author's code",
        run: () => {
          release();
          this.#options.reset(key);
        },
      },
    ]);
  }

  /** Starts the heartbeat and the watch on the page; returns a function that stops them. */
  start(): () => void {
    const { journal } = this.#options;
    const beat = setInterval(() => journal.beat(), BEAT_MS);
    const onVisibility = () => journal.setHidden(document.visibilityState === "hidden");
    const onHide = () => journal.close();
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", onHide);
    // Only the top of the document is watched (not every chart's redraw): enough to see the page go.
    const watch = new MutationObserver(() => this.#checkPage());
    watch.observe(document.documentElement, { childList: true });
    if (document.body) watch.observe(document.body, { childList: true });
    return () => {
      clearInterval(beat);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onHide);
      watch.disconnect();
    };
  }

  #checkPage(): void {
    const root = this.#options.pageRoot();
    if (root && document.contains(root)) return;
    this.#options.journal.emptied(this.#lastEdited);
    showEmptied(this.#lastEdited);
  }
}

/** What is left to say on a page a cell's code emptied. */
function showEmptied(culprit: CellKey | undefined): void {
  if (document.querySelector("[data-flowdeck-emptied]")) return;
  const body =
    document.body ?? document.documentElement.appendChild(document.createElement("body"));
  const box = document.createElement("div");
  box.dataset.flowdeckEmptied = "";
  box.setAttribute("role", "alert");
  box.className = "fd-fatal";
  const text = culprit
    ? `The edited code of ${culprit} removed this page. Reload: that cell will be held back until you run it or go back to the notebook's code.`
    : "Code on this page removed the page. Reload to get it back.";
  const reload = document.createElement("button");
  reload.type = "button";
  reload.textContent = "Reload";
  reload.addEventListener("click", () => location.reload());
  box.append(text, " ", reload);
  body.prepend(box);
}
