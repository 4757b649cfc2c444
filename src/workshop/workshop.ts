/**
 * The workshop layer of a page: reader's edits kept in the browser and the exercises with their
 * progress. Pure stores (edit-store, progress-store) under thin controllers that reach cells
 * only through their views.
 */
import type { NotebookHost, LoadedCell, LoadedNotebook } from "../runtime/host.ts";
import type { CellCompiler } from "../runtime/live-compile.ts";
import type { Notices } from "../ui/notices.ts";
import type { CellViews } from "../view/cell-views.ts";
import { EditController } from "./edit-controller.ts";
import { EDITS_PREFIX } from "./edits.ts";
import { EditStore } from "./edit-store.ts";
import { ExerciseController } from "./exercise-controller.ts";
import { PageJournal } from "./page-journal.ts";
import { ProgressStore } from "./progress-store.ts";
import { Recovery } from "./recovery.ts";
import { describeProblem, type StorageLike, type StorageProblem } from "./stored-record.ts";

export interface WorkshopOptions {
  host: NotebookHost;
  views: CellViews;
  storage: StorageLike | undefined;
  notices: Notices;
  /** the in-browser cell compiler, loaded on first use */
  compiler: () => Promise<CellCompiler>;
  /** the element whose removal means a cell's code emptied the page */
  pageRoot: () => Element | null;
}

export class Workshop {
  readonly store: EditStore;
  readonly edits: EditController;
  readonly exercises: ExerciseController;
  readonly recovery: Recovery;
  readonly #stop: () => void;

  constructor({ host, views, storage, notices, compiler, pageRoot }: WorkshopOptions) {
    const onProblem = (problem: StorageProblem) => notices.show(describeProblem(problem));
    this.store = new EditStore(storage, onProblem);
    const progress = new ProgressStore(storage, onProblem);
    this.edits = new EditController({
      host,
      views,
      store: this.store,
      notices,
      compiler,
      changed: (key) => this.exercises.refresh(key),
    });
    this.exercises = new ExerciseController(host, this.edits, progress);
    const journal = new PageJournal({
      storage,
      id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
      page: `${location.pathname}${location.search}`,
      onProblem,
    });
    this.recovery = new Recovery({
      host,
      journal,
      pageRoot,
      run: (key) => {
        const edit = this.store.edit(key);
        if (edit) void this.edits.run(key, edit.source);
      },
      reset: (key) => this.edits.reset(key),
    });
    const stopRecovery = this.recovery.start();
    // Another tab of this browser saved edits: follow them, or show the conflict.
    const onStorage = (event: StorageEvent) => {
      if (event.key?.startsWith(EDITS_PREFIX)) {
        void this.edits.otherTabChanged(event.key.slice(EDITS_PREFIX.length));
      }
    };
    window.addEventListener("storage", onStorage);
    this.#stop = () => {
      stopRecovery();
      window.removeEventListener("storage", onStorage);
    };
    views.onCreate((view) => {
      this.edits.decorate(view);
      this.exercises.decorate(view);
      this.recovery.decorate(view);
    });
  }

  /** Stops watching the page (its heartbeat and its content). */
  dispose(): void {
    this.#stop();
  }

  /** The reader's saved edits of a notebook, to define in place of the author's cells. */
  edited(notebook: LoadedNotebook): Promise<Map<string, LoadedCell>> {
    return this.edits.edited(notebook, (key) => this.recovery.isHeld(key));
  }
}
