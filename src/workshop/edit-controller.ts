/**
 * Editing cells in the browser: a reader opens a cell's code, runs it (only that cell is
 * redefined; its dependents update), and finds the edit again after a reload. An edit made
 * against an older version of the author's cell is flagged, never applied over the author's
 * update without the reader's say. Talks to cells only through their views' API.
 */
import { cellKey, type CellKey } from "../compiler/cell-key.ts";
import type { LoadedCell, LoadedNotebook, NotebookHost } from "../runtime/host.ts";
import type { CellCompiler } from "../runtime/live-compile.ts";
import type { Notices } from "../ui/notices.ts";
import type { CellView } from "../view/cell-view.ts";
import type { CellViews } from "../view/cell-views.ts";
import { editStatus } from "./edits.ts";
import type { EditStore } from "./edit-store.ts";
import { button } from "./exercise-panel.ts";

const DRAFT_SAVE_MS = 400;

type EditorModule = typeof import("../ui/editor/code-editor.ts");

interface OpenEditor {
  setSource(source: string): void;
  focus(): void;
}

export interface EditControllerOptions {
  host: NotebookHost;
  views: CellViews;
  store: EditStore;
  notices: Notices;
  compiler: () => Promise<CellCompiler>;
  /** called after a cell's edit state changes (run, reset) */
  changed?: (key: CellKey) => void;
}

export class EditController {
  readonly #options: EditControllerOptions;
  readonly #editors = new Map<CellKey, OpenEditor>();
  /** the comparison shown in a cell's notice, if open */
  readonly #diffs = new Map<CellKey, HTMLElement>();
  #editorModule: Promise<EditorModule> | undefined;
  #unsavedNotice: (() => void) | undefined;

  constructor(options: EditControllerOptions) {
    this.#options = options;
  }

  /** Adds the Edit action (and any notice about a saved edit) to a shown cell. */
  decorate(view: CellView): void {
    if (view.inline) return;
    view.addAction("edit", {
      label: "Edit",
      title: "Edit this cell's code (Shift-Enter runs it)",
      run: () => void this.open(view.key),
    });
    this.renderStatus(view.key);
  }

  isEdited(key: CellKey): boolean {
    return !!this.#options.store.edit(key);
  }

  /** Opens the editor on a cell (the code the cell runs now, or the unsaved draft). */
  async open(key: CellKey, { focus = true }: { focus?: boolean } = {}): Promise<void> {
    const { host, views, store } = this.#options;
    const view = views.get(key);
    const cell = host.cell(key);
    if (!view || !cell || view.inline) return;
    const open = this.#editors.get(key);
    if (open) {
      if (focus) open.focus();
      return;
    }
    const { createCodeEditor } = await this.#editor();
    if (this.#editors.has(key)) return; // opened meanwhile
    const slot = view.openEditorSlot();
    const surface = document.createElement("div");
    const actions = document.createElement("div");
    actions.className = "fd-editor-actions";
    slot.append(surface, actions);
    let draftTimer: ReturnType<typeof setTimeout> | undefined;
    const editor = createCodeEditor(surface, {
      doc: store.edit(key)?.draft ?? cell.source,
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
      view.closeEditorSlot();
      view.focusAction("edit");
    };
    const hint = document.createElement("span");
    hint.className = "fd-hint";
    hint.textContent = "Shift-Enter runs · Esc closes";
    actions.append(
      button("Run", "Run the edited code (Shift-Enter)", () => void this.run(key, editor.source)),
      button("Compare", "Compare with the notebook's own code", () =>
        this.#toggleDiff(key, actions, editor.source),
      ),
      button("Reset", "Go back to the notebook's own code", () => {
        this.reset(key);
        editor.setSource(host.authored(key)?.source ?? "");
      }),
      button("Close", "Close the editor (Escape)", close),
      hint,
    );
    if (focus) editor.focus();
  }

  /** Opens the editor with someone else's code in it, without running it. */
  async review(key: CellKey, source: string): Promise<void> {
    await this.open(key);
    this.#editors.get(key)?.setSource(source);
  }

  /** Compiles and runs an edited cell, and keeps it so that a reload finds it again. */
  async run(key: CellKey, source: string): Promise<void> {
    const { host, store } = this.#options;
    const authored = host.authored(key);
    if (!authored) return;
    const compiled = (await this.#options.compiler()).compileEdit(key, authored, source);
    host.replaceCell(key, compiled);
    const kept =
      source === authored.source
        ? store.forget(key)
        : store.save(key, { source, baseSource: authored.source, savedAt: Date.now() });
    this.#reportSaved(kept);
    this.renderStatus(key);
    this.#options.changed?.(key);
  }

  /** Back to the author's code; the edit is forgotten. */
  reset(key: CellKey): void {
    const { host, store } = this.#options;
    this.#reportSaved(store.forget(key));
    host.restoreCell(key);
    this.renderStatus(key);
    this.#options.changed?.(key);
  }

  /** The reader's edits of a notebook, compiled to run in place of the author's cells, by id. */
  async edited(notebook: LoadedNotebook): Promise<Map<string, LoadedCell>> {
    const edits = this.#options.store.notebook(notebook.name);
    const out = new Map<string, LoadedCell>();
    if (!Object.keys(edits).length) return out;
    const compiler = await this.#options.compiler();
    for (const cell of notebook.cells) {
      const edit = edits[cell.id];
      // An edit made against an older version of the cell waits for the reader to choose.
      if (edit && editStatus(edit, cell.source).kind === "current") {
        out.set(cell.id, compiler.compileEdit(cellKey(notebook.name, cell.id), cell, edit.source));
      }
    }
    return out;
  }

  /** The edited mark, and the notice when the author changed the cell after the reader did. */
  renderStatus(key: CellKey): void {
    const { host, views, store } = this.#options;
    const view = views.get(key);
    const authored = host.authored(key);
    if (!view || !authored) return;
    const edit = store.edit(key);
    view.setMark("edited", edit ? "" : undefined);
    this.#diffs.delete(key);
    if (!edit || editStatus(edit, authored.source).kind === "current") {
      view.setNotice(undefined);
      return;
    }
    view.setNotice([
      "The notebook's code for this cell changed after you edited it; it runs the new version. ",
      {
        label: "Compare",
        title: "Your edit beside the notebook's new code",
        run: () => this.#toggleDiff(key, undefined, edit.source),
      },
      {
        label: "Use my edit",
        title: "Run your edit instead",
        run: () => void this.run(key, edit.source),
      },
      { label: "Discard my edit", title: "Forget your edit", run: () => this.reset(key) },
    ]);
  }

  #saveDraft(key: CellKey, draft: string): void {
    const authored = this.#options.host.authored(key);
    if (!authored) return;
    this.#reportSaved(this.#options.store.saveDraft(key, draft, authored.source));
    this.renderStatus(key);
  }

  /** One notice while edits cannot be kept, however many saves fail; gone once one succeeds. */
  #reportSaved(kept: boolean): void {
    if (kept) {
      this.#unsavedNotice?.();
      this.#unsavedNotice = undefined;
      return;
    }
    this.#unsavedNotice ??= this.#options.notices.show(
      "Your edits cannot be saved in this browser (storage is full or disabled): they run, but a reload loses them. Export your work from the workshop page, or free some space.",
    );
  }

  /** Shows or hides the reader's code beside the author's, in the editor or the cell's notice. */
  #toggleDiff(key: CellKey, parent: HTMLElement | undefined, edited: string): void {
    const open = this.#diffs.get(key);
    if (open) {
      open.remove();
      this.#diffs.delete(key);
      return;
    }
    const authored = this.#options.host.authored(key);
    const view = this.#options.views.get(key);
    if (!authored || !view) return;
    const box = document.createElement("div");
    box.className = "fd-diff";
    if (parent) parent.after(box);
    else view.appendToNotice(box);
    this.#diffs.set(key, box);
    void this.#editor().then(({ createDiffView }) =>
      createDiffView(
        box,
        { label: "notebook", source: authored.source },
        { label: "yours", source: edited },
      ),
    );
  }

  #editor(): Promise<EditorModule> {
    return (this.#editorModule ??= import("../ui/editor/code-editor.ts"));
  }
}
