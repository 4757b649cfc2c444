/**
 * Exercises on a page: each exercise cell gets its panel (status, hints, solution) and an open
 * editor; its state follows its checks (ordinary cells marked `checks`) and is kept as progress.
 */
import { cellKey, parseCellKey, type CellKey } from "../compiler/cell-key.ts";
import type { NotebookHost } from "../runtime/host.ts";
import type { CellView } from "../view/cell-view.ts";
import type { EditController } from "./edit-controller.ts";
import { ExercisePanel } from "./exercise-panel.ts";
import type { ProgressStore } from "./progress-store.ts";
import { exerciseState } from "./progress.ts";

export class ExerciseController {
  readonly #host: NotebookHost;
  readonly #edits: EditController;
  readonly #progress: ProgressStore;
  readonly #panels = new Map<CellKey, ExercisePanel>();
  #queued = false;

  constructor(host: NotebookHost, edits: EditController, progress: ProgressStore) {
    this.#host = host;
    this.#edits = edits;
    this.#progress = progress;
    host.onChange(() => {
      if (this.#queued || !this.#panels.size) return;
      this.#queued = true;
      queueMicrotask(() => {
        this.#queued = false;
        for (const key of this.#panels.keys()) this.refresh(key);
      });
    });
  }

  /** Marks check cells, and gives exercise cells their panel and an open editor. */
  decorate(view: CellView): void {
    const cell = this.#host.authored(view.key);
    if (!cell) return;
    if (cell.checks !== undefined) view.setMark("check", cell.checks);
    if (!cell.exercise || this.#panels.has(view.key)) return;
    const key = view.key;
    const panel = new ExercisePanel(cell.exercise.hints, cell.exercise.solution, {
      hintShown: (count) => this.#progress.record(key, { hintsShown: count }),
      solutionShown: () => {
        this.#progress.record(key, { solutionShown: true });
        this.refresh(key);
      },
      useSolution: (source) =>
        void this.#edits.review(key, source).then(() => this.#edits.run(key, source)),
    });
    const saved = this.#progress.get(key);
    panel.restore(saved.hintsShown, saved.solutionShown);
    view.setMark("exercise", "");
    view.addPanel(panel.element);
    this.#panels.set(key, panel);
    this.refresh(key);
    // An exercise's editor is open from the start, without taking the focus (or the scroll).
    void this.#edits.open(key, { focus: false });
  }

  refresh(key: CellKey): void {
    const panel = this.#panels.get(key);
    if (!panel) return;
    const checks = this.#checksOf(key).map((k) => this.#host.stateOf(k) ?? "pending");
    const saved = this.#progress.get(key);
    const state = exerciseState({
      edited: this.#edits.isEdited(key),
      solutionShown: saved.solutionShown,
      checks,
    });
    panel.show(state, checks.filter((c) => c === "ready").length, checks.length);
    const settled = !checks.some((c) => c === "pending" || c === "running");
    if (saved.state !== state && settled) this.#progress.record(key, { state });
  }

  #checksOf(key: CellKey): CellKey[] {
    const address = parseCellKey(key);
    if (!address) return [];
    const cells = this.#host.notebook(address.notebook)?.cells ?? [];
    return cells
      .filter((cell) => cell.checks === address.cell)
      .map((cell) => cellKey(address.notebook, cell.id));
  }
}
