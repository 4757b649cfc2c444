/**
 * Editing cells in the browser: a reader edits a cell, runs it (only that cell is redefined; its
 * dependents update), and finds the edit again after a reload or a crash. Edits are kept per
 * notebook in localStorage; one made against an older version of the author's cell is flagged,
 * never applied over the author's update without the reader's say.
 */
import type { CellView } from "../runtime/cell-view.ts";
import type { LoadedCell, LoadedNotebook, NotebookHost } from "../runtime/notebook-host.ts";
import type { Notices } from "../ui/notices.ts";
import {
  EDITS_FORMAT,
  editStatus,
  editsKey,
  isNotebookEdits,
  type CellEdit,
  type NotebookEdits,
} from "./edits.ts";
import {
  PROGRESS_FORMAT,
  PROGRESS_KEY,
  exerciseState,
  isProgress,
  type ExerciseProgress,
  type Progress,
} from "./progress.ts";
import { RecordStore, type StorageLike } from "./stored-record.ts";

const DRAFT_SAVE_MS = 400;

type CodeEditorModule = typeof import("../ui/editor/code-editor.ts");
type Compiler = typeof import("../runtime/live-compile.ts");

export class Workshop {
  readonly #host: NotebookHost;
  readonly #notices: Notices;
  readonly #store: RecordStore<NotebookEdits>;
  readonly #progress: RecordStore<Progress>;
  /** exercise panels on this page, by exercise key */
  readonly #exercises = new Map<string, ExercisePanel>();
  /** the author's version of every cell that was edited, by key */
  readonly #authored = new Map<string, LoadedCell>();
  readonly #views = new Map<string, CellView>();
  readonly #editors = new Map<string, { setSource(source: string): void }>();
  #compiler: Promise<Compiler> | undefined;
  #editorModule: Promise<CodeEditorModule> | undefined;

  constructor(host: NotebookHost, storage: StorageLike | undefined, notices: Notices) {
    this.#host = host;
    this.#notices = notices;
    const onProblem = ({
      key,
      movedTo,
      reason,
    }: {
      key: string;
      movedTo: string;
      reason: string;
    }) =>
      notices.show(
        `Saved data in ${key} could not be read (${reason}). It was set aside as ${movedTo}; the page runs without it.`,
      );
    this.#store = new RecordStore({
      storage,
      format: EDITS_FORMAT,
      validate: isNotebookEdits,
      onProblem,
    });
    this.#progress = new RecordStore({
      storage,
      format: PROGRESS_FORMAT,
      validate: isProgress,
      onProblem,
    });
    let queued = false;
    host.onChange(() => {
      if (queued || !this.#exercises.size) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        for (const key of this.#exercises.keys()) this.#refreshExercise(key);
      });
    });
  }

  /** Before a notebook's cells are defined: substitute the reader's current edits. */
  async prepare(spec: LoadedNotebook): Promise<LoadedNotebook> {
    const edits = this.#store.read(editsKey(spec.name));
    if (!edits || !Object.keys(edits).length) return spec;
    const { compileCell } = await this.#compile();
    const cells = spec.cells.map((cell) => {
      const edit = edits[cell.id];
      if (!edit) return cell;
      this.#authored.set(`${spec.name}/${cell.id}`, cell);
      // An edit made against an older version of the cell waits for the reader to choose.
      if (editStatus(edit, cell.source).kind === "stale") return cell;
      return compileLike(compileCell, cell, edit.source);
    });
    return { ...spec, cells };
  }

  /** Adds the edit button (and any notice about a saved edit) to a mounted cell. */
  decorate(key: string, view: CellView): void {
    if (this.#views.get(key) === view) return;
    this.#views.set(key, view);
    const spec = this.#host.cell(key);
    if (!spec || spec.inline) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fd-edit-button";
    button.textContent = "Edit";
    button.title = "Edit this cell's code (Shift-Enter runs it)";
    button.addEventListener("click", () => void this.open(key));
    view.bar.append(button);
    this.#renderStatus(key);
    if (spec.checks !== undefined) view.element.dataset.check = spec.checks;
    if (spec.exercise)
      this.#decorateExercise(key, view, spec.exercise.hints, spec.exercise.solution);
  }

  /** The exercise panel: status, hints one at a time, the solution on request. */
  #decorateExercise(
    key: string,
    view: CellView,
    hints: string[],
    solution: string | undefined,
  ): void {
    const panel = new ExercisePanel(hints, solution, {
      hintShown: (count) => this.#recordProgress(key, { hintsShown: count }),
      solutionShown: () => {
        this.#recordProgress(key, { solutionShown: true });
        this.#refreshExercise(key);
      },
      useSolution: (source) => void this.review(key, source).then(() => this.run(key, source)),
    });
    const saved = this.#progress.read(PROGRESS_KEY)?.[key];
    panel.restore(saved?.hintsShown ?? 0, saved?.solutionShown ?? false);
    view.element.dataset.exercise = "";
    view.element.append(panel.element);
    this.#exercises.set(key, panel);
    this.#refreshExercise(key);
    // An exercise's editor is open from the start, without taking the focus (or the scroll).
    void this.open(key, { focus: false });
  }

  #checksOf(key: string): string[] {
    const notebook = this.#notebookOf(key);
    const id = this.#idOf(key);
    return (this.#host.notebook(notebook)?.cells ?? [])
      .filter((cell) => cell.checks === id)
      .map((cell) => `${notebook}/${cell.id}`);
  }

  #refreshExercise(key: string): void {
    const panel = this.#exercises.get(key);
    if (!panel) return;
    const checks = this.#checksOf(key).map((k) => this.#host.stateOf(k) ?? "pending");
    const saved = this.#progress.read(PROGRESS_KEY)?.[key];
    const state = exerciseState({
      edited: this.isEdited(key),
      solutionShown: saved?.solutionShown ?? false,
      checks,
    });
    const passing = checks.filter((c) => c === "ready").length;
    panel.show(state, passing, checks.length);
    if (saved?.state !== state && !checks.some((c) => c === "pending" || c === "running")) {
      this.#recordProgress(key, { state });
    }
  }

  #recordProgress(key: string, change: Partial<ExerciseProgress>): void {
    const all = this.#progress.read(PROGRESS_KEY) ?? {};
    const before: ExerciseProgress = all[key] ?? {
      state: "not started",
      hintsShown: 0,
      solutionShown: false,
      updatedAt: 0,
    };
    this.#progress.write(PROGRESS_KEY, {
      ...all,
      [key]: { ...before, ...change, updatedAt: Date.now() },
    });
  }

  /** Opens the editor on a cell (the code the cell runs now, or the unsaved draft). */
  async open(key: string, { focus = true }: { focus?: boolean } = {}): Promise<void> {
    const view = this.#views.get(key);
    const cell = this.#host.cell(key);
    if (!view || !cell || !view.editorHost.hidden) {
      view?.editorHost.querySelector<HTMLElement>(".cm-content")?.focus();
      return;
    }
    const { createCodeEditor } = await this.#editor();
    const edit = this.#edit(key);
    const host = view.editorHost;
    host.replaceChildren();
    // Keys typed in the editor are the editor's: never reveal's (slides, overview, speaker view).
    host.onkeydown = (event) => event.stopPropagation();
    const surface = document.createElement("div");
    const actions = document.createElement("div");
    actions.className = "fd-editor-actions";
    host.append(surface, actions);
    let draftTimer: ReturnType<typeof setTimeout> | undefined;
    const editor = createCodeEditor(surface, {
      doc: edit?.draft ?? cell.source,
      onRun: (source) => void this.run(key, source),
      onChange: (source) => {
        clearTimeout(draftTimer);
        draftTimer = setTimeout(() => this.#saveDraft(key, source), DRAFT_SAVE_MS);
      },
      onClose: () => close(),
    });
    this.#editors.set(key, editor);
    const close = () => {
      this.#editors.delete(key);
      clearTimeout(draftTimer);
      this.#saveDraft(key, editor.source);
      editor.destroy();
      host.replaceChildren();
      view.showEditor(false);
      view.element.querySelector<HTMLElement>(".fd-edit-button")?.focus();
    };
    actions.append(
      actionButton(
        "Run",
        "Run the edited code (Shift-Enter)",
        () => void this.run(key, editor.source),
      ),
      actionButton("Compare", "Compare with the notebook's own code", () =>
        this.#toggleDiff(key, host, editor.source),
      ),
      actionButton("Reset", "Go back to the notebook's own code", () => {
        this.reset(key);
        editor.setSource(this.#host.cell(key)?.source ?? "");
      }),
      actionButton("Close", "Close the editor (Escape)", close),
      Object.assign(document.createElement("span"), {
        className: "fd-hint",
        textContent: "Shift-Enter runs · Esc closes",
      }),
    );
    view.showEditor(true);
    if (focus) editor.focus();
  }

  /** Opens the editor with someone else's code in it, without running it. */
  async review(key: string, source: string): Promise<void> {
    await this.open(key);
    this.#editors.get(key)?.setSource(source);
  }

  /** The sources the reader changed in a notebook, by cell id (for a shared link). */
  editedSources(notebook: string): Record<string, string> {
    const edits = this.#store.read(editsKey(notebook)) ?? {};
    return Object.fromEntries(Object.entries(edits).map(([id, edit]) => [id, edit.source]));
  }

  /** Compiles and runs an edited cell; keeps it, so a reload finds it again. */
  async run(key: string, source: string): Promise<void> {
    const authored = this.#authoredCell(key);
    // Remember the author's version before the first edit replaces it in the host.
    if (authored && !this.#authored.has(key)) this.#authored.set(key, authored);
    if (!authored) return;
    const { compileCell } = await this.#compile();
    const compiled = compileCell(source, {
      id: authored.id,
      inline: authored.inline,
      echo: authored.echo,
    });
    this.#host.replaceCell(key, compiled);
    if (source === authored.source) this.#forget(key);
    else this.#save(key, { source, baseSource: authored.source, savedAt: Date.now() });
    this.#renderStatus(key);
  }

  /** Back to the author's code; the edit is forgotten. */
  reset(key: string): void {
    const authored = this.#authored.get(key);
    this.#forget(key);
    if (authored) this.#host.replaceCell(key, authored);
    this.#renderStatus(key);
  }

  isEdited(key: string): boolean {
    return !!this.#edit(key);
  }

  #renderStatus(key: string): void {
    const view = this.#views.get(key);
    const authored = this.#authoredCell(key);
    if (!view || !authored) return;
    const edit = this.#edit(key);
    if (edit) view.element.dataset.edited = "";
    else delete view.element.dataset.edited;
    view.notice.replaceChildren();
    view.notice.hidden = true;
    if (!edit || editStatus(edit, authored.source).kind === "current") return;
    // The author changed this cell after the reader edited it: say so, and let them choose.
    view.notice.hidden = false;
    view.notice.append(
      "The notebook's code for this cell changed after you edited it; it runs the new version. ",
      actionButton("Compare", "Your edit beside the notebook's new code", () =>
        this.#toggleDiff(key, view.notice, edit.source),
      ),
      actionButton("Use my edit", "Run your edit instead", () => void this.run(key, edit.source)),
      actionButton("Discard my edit", "Forget your edit", () => this.reset(key)),
    );
  }

  #toggleDiff(key: string, parent: HTMLElement, edited: string): void {
    const open = parent.querySelector<HTMLElement>(".fd-diff");
    if (open) {
      open.remove();
      return;
    }
    const authored = this.#authoredCell(key);
    if (!authored) return;
    const box = document.createElement("div");
    box.className = "fd-diff";
    parent.append(box);
    void this.#editor().then(({ createDiffView }) =>
      createDiffView(
        box,
        { label: "notebook", source: authored.source },
        { label: "yours", source: edited },
      ),
    );
  }

  #authoredCell(key: string): LoadedCell | undefined {
    return this.#authored.get(key) ?? this.#host.cell(key);
  }

  #notebookOf(key: string): string {
    return key.slice(0, key.indexOf("/"));
  }

  #idOf(key: string): string {
    return key.slice(key.indexOf("/") + 1);
  }

  #edit(key: string): CellEdit | undefined {
    return this.#store.read(editsKey(this.#notebookOf(key)))?.[this.#idOf(key)];
  }

  #save(key: string, edit: CellEdit): void {
    const storeKey = editsKey(this.#notebookOf(key));
    const edits = { ...this.#store.read(storeKey), [this.#idOf(key)]: edit };
    if (!this.#store.write(storeKey, edits)) {
      this.#notices.show(
        "Your edit could not be saved in this browser (storage is full or disabled).",
      );
    }
  }

  #saveDraft(key: string, draft: string): void {
    const authored = this.#authoredCell(key);
    if (!authored) return;
    const current = this.#edit(key);
    const ran = current?.source ?? authored.source;
    if (draft === ran && !current?.draft) return;
    if (!current && draft === authored.source) return;
    const { draft: _old, ...rest } = current ?? {
      source: ran,
      baseSource: authored.source,
      savedAt: 0,
    };
    this.#save(
      key,
      draft === ran ? { ...rest, savedAt: Date.now() } : { ...rest, draft, savedAt: Date.now() },
    );
    this.#renderStatus(key);
  }

  #forget(key: string): void {
    const storeKey = editsKey(this.#notebookOf(key));
    const edits = { ...this.#store.read(storeKey) };
    delete edits[this.#idOf(key)];
    if (Object.keys(edits).length) this.#store.write(storeKey, edits);
    else this.#store.remove(storeKey);
  }

  #compile(): Promise<Compiler> {
    return (this.#compiler ??= import("../runtime/live-compile.ts"));
  }

  #editor(): Promise<CodeEditorModule> {
    return (this.#editorModule ??= import("../ui/editor/code-editor.ts"));
  }
}

/** Compiles a reader's source for a cell, keeping what the author said the cell is for. */
function compileLike(
  compileCell: Compiler["compileCell"],
  authored: LoadedCell,
  source: string,
): LoadedCell {
  const compiled = compileCell(source, {
    id: authored.id,
    inline: authored.inline,
    echo: authored.echo,
  });
  return {
    ...compiled,
    ...(authored.exercise && { exercise: authored.exercise }),
    ...(authored.checks !== undefined && { checks: authored.checks }),
  };
}

interface PanelEvents {
  hintShown(count: number): void;
  solutionShown(): void;
  useSolution(source: string): void;
}

/** What an exercise shows under its cell. */
class ExercisePanel {
  readonly element: HTMLElement;
  readonly #status: HTMLElement;
  readonly #hints: HTMLElement;
  readonly #hintButton: HTMLButtonElement;
  readonly #solution: HTMLElement;
  readonly #allHints: string[];
  #revealButton: HTMLButtonElement | undefined;
  #shown = 0;

  constructor(hints: string[], solution: string | undefined, events: PanelEvents) {
    this.#allHints = hints;
    this.element = document.createElement("section");
    this.element.className = "fd-exercise";
    const header = document.createElement("div");
    header.className = "fd-exercise-header";
    this.#status = document.createElement("span");
    this.#status.className = "fd-exercise-status";
    header.append("Exercise ", this.#status);
    this.#hints = document.createElement("ol");
    this.#hints.className = "fd-hints";
    this.#hintButton = actionButton("Show a hint", "Reveal the next hint", () => {
      this.#reveal(this.#shown + 1);
      events.hintShown(this.#shown);
    });
    this.#solution = document.createElement("div");
    this.#solution.className = "fd-solution";
    this.#solution.hidden = true;
    const actions = document.createElement("div");
    actions.className = "fd-exercise-actions";
    if (hints.length) actions.append(this.#hintButton);
    if (solution !== undefined) {
      const code = document.createElement("pre");
      code.textContent = solution;
      this.#solution.append(
        code,
        actionButton("Use this solution", "Put the solution in the editor and run it", () =>
          events.useSolution(solution),
        ),
      );
      const reveal = (this.#revealButton = actionButton(
        "Show the solution",
        "Reveal the author's solution (this is recorded)",
        () => {
          if (reveal.dataset.confirm === undefined) {
            reveal.dataset.confirm = "";
            reveal.textContent = "Really show it? (recorded)";
            return;
          }
          reveal.remove();
          this.#solution.hidden = false;
          events.solutionShown();
        },
      ));
      actions.append(reveal);
    }
    this.element.append(header, this.#hints, actions, this.#solution);
  }

  restore(hintsShown: number, solutionShown: boolean): void {
    this.#reveal(Math.min(hintsShown, this.#allHints.length));
    if (solutionShown) {
      this.#solution.hidden = false;
      this.#revealButton?.remove();
    }
  }

  show(state: string, passing: number, total: number): void {
    this.element.dataset.state = state;
    this.#status.textContent = total ? `${state} · ${passing} of ${total} checks pass` : state;
  }

  #reveal(count: number): void {
    while (this.#shown < count && this.#shown < this.#allHints.length) {
      const item = document.createElement("li");
      item.innerHTML = this.#allHints[this.#shown]!; // rendered from the author's Markdown at build time
      this.#hints.append(item);
      this.#shown++;
    }
    const left = this.#allHints.length - this.#shown;
    this.#hintButton.hidden = left === 0;
    this.#hintButton.textContent = `Show a hint (${this.#shown + 1} of ${this.#allHints.length})`;
  }
}

function actionButton(label: string, title: string, run: () => void): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.title = title;
  button.addEventListener("click", run);
  return button;
}
