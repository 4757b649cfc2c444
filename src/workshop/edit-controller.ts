/**
 * Editing cells in the browser: a reader opens a cell's code, runs it (only that cell is
 * redefined; its dependents update), and finds the edit again after a reload. An edit made
 * against an older version of the author's cell is flagged, never applied over the author's
 * update without the reader's say. Talks to cells only through their views' API.
 */
import { cellKey, parseCellKey, type CellKey } from "../compiler/cell-key.ts";
import type { LoadedCell, LoadedNotebook, NotebookHost } from "../runtime/host.ts";
import type { CellCompiler } from "../runtime/live-compile.ts";
import type { Notices } from "../ui/notices.ts";
import type { CellView } from "../view/cell-view.ts";
import type { CellViews } from "../view/cell-views.ts";
import { escapeHtml } from "../compiler/html.ts";
import { editStatus } from "./edits.ts";
import type { EditStore } from "./edit-store.ts";
import { button } from "./exercise-panel.ts";

const DRAFT_SAVE_MS = 400;

type EditorModule = typeof import("../ui/editor/code-editor.ts");

interface OpenEditor {
  readonly source: string;
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
  /** editors showing someone else's code that the reader has neither typed in nor run */
  readonly #unreviewed = new Set<CellKey>();
  /** the comparison shown in a cell's notice, if open */
  readonly #diffs = new Map<CellKey, HTMLElement>();
  #editorModule: Promise<EditorModule> | undefined;
  #unsavedNotice: (() => void) | undefined;
  readonly #unsaved = new Set<CellKey>();

  constructor(options: EditControllerOptions) {
    this.#options = options;
  }

  /** Adds the Edit action (and any notice about a saved edit) to a shown cell. */
  decorate(view: CellView): void {
    view.addAction("edit", {
      // In prose, a mark that takes no room; on a block cell, a word.
      label: view.inline ? "✎" : "Edit",
      title: "Edit this cell's code (Shift-Enter runs it)",
      run: () => void this.open(view.key),
    });
    this.renderStatus(view.key);
  }

  /** The reader's edit runs in place of the author's cell (an unaccepted import does not). */
  isEdited(key: CellKey): boolean {
    const edit = this.#options.store.edit(key);
    return !!edit && !edit.pending;
  }

  /** Opens the editor on a cell (the code the cell runs now, or the unsaved draft). */
  async open(key: CellKey, { focus = true }: { focus?: boolean } = {}): Promise<void> {
    const { host, views, store } = this.#options;
    const view = views.get(key);
    const cell = host.cell(key);
    if (!view || !cell) return;
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
        this.#unreviewed.delete(key); // typed in: it is the reader's own draft now
        clearTimeout(draftTimer);
        draftTimer = setTimeout(() => this.#saveDraft(key, source), DRAFT_SAVE_MS);
      },
      onClose: () => close(),
    });
    this.#editors.set(key, editor);
    const close = () => {
      this.#editors.delete(key);
      clearTimeout(draftTimer);
      // Code from a link or a file that was only looked at is not the reader's draft.
      if (!this.#unreviewed.delete(key)) this.#saveDraft(key, editor.source);
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

  /**
   * Another tab saved edits of this notebook (the `storage` event). A cell whose code changed
   * there runs the new code here too, and its editor shows it; but if the reader here is in the
   * middle of typing something else in it, nothing is replaced: both versions are shown as a
   * conflict for the reader to settle.
   */
  async otherTabChanged(notebook: string): Promise<void> {
    const { host, views, store } = this.#options;
    const theirs = store.notebook(notebook);
    for (const key of host.keys(notebook)) {
      const view = views.get(key);
      const authored = host.authored(key);
      const running = host.cell(key);
      if (!view || !authored || !running) continue;
      const edit = theirs[parseCellKey(key)?.cell ?? ""];
      const source = edit && !edit.pending ? edit.source : authored.source;
      const editor = this.#editors.get(key);
      const typing = !!editor && !this.#unreviewed.has(key) && editor.source !== running.source;
      if (source === running.source) {
        this.renderStatus(key); // an import may be waiting for the reader now
        continue;
      }
      if (typing && editor.source !== source) {
        this.#showConflict(key, editor.source, source);
        continue;
      }
      const compiler = await this.#options.compiler();
      host.replaceCell(
        key,
        source === authored.source ? authored : compiler.compileEdit(key, authored, source),
      );
      editor?.setSource(source);
      this.renderStatus(key);
      this.#options.changed?.(key);
    }
  }

  #showConflict(key: CellKey, mine: string, theirs: string): void {
    const view = this.#options.views.get(key);
    if (!view) return;
    this.#diffs.delete(key);
    view.setMark("conflict", "");
    const settle = () => view.setMark("conflict", undefined);
    view.setNotice([
      "Another tab changed this cell's code while you were editing it here. Nothing was replaced: choose which to keep. ",
      {
        label: "Compare",
        title: "Your code here beside the other tab's",
        run: () => this.#toggleDiff(key, undefined, mine, { label: "other tab", source: theirs }),
      },
      {
        label: "Use the other tab's",
        title: "Run the other tab's code here, and put it in the editor",
        run: () => {
          settle();
          this.#editors.get(key)?.setSource(theirs);
          void this.run(key, theirs);
        },
      },
      {
        label: "Keep mine",
        title: "Run your code here; it replaces the other tab's in this browser",
        run: () => {
          settle();
          void this.run(key, this.#editors.get(key)?.source ?? mine);
        },
      },
    ]);
  }

  /** Opens the editor with someone else's code in it, without running or keeping it. */
  async review(key: CellKey, source: string): Promise<void> {
    await this.open(key);
    const editor = this.#editors.get(key);
    if (!editor) return;
    this.#unreviewed.add(key);
    editor.setSource(source);
  }

  /** Compiles and runs an edited cell, and keeps it so that a reload finds it again. */
  async run(key: CellKey, source: string): Promise<void> {
    const { host, store } = this.#options;
    const authored = host.authored(key);
    if (!authored) return;
    this.#unreviewed.delete(key); // run: the reader accepted it
    const compiled = (await this.#options.compiler()).compileEdit(key, authored, source);
    host.replaceCell(key, compiled);
    const kept =
      source === authored.source
        ? store.forget(key)
        : store.save(key, { source, baseSource: authored.source, savedAt: Date.now() });
    this.#reportSaved(key, kept);
    this.renderStatus(key);
    this.#options.changed?.(key);
  }

  /** Back to the author's code; the edit is forgotten. */
  reset(key: CellKey): void {
    const { host, store } = this.#options;
    this.#reportSaved(key, store.forget(key));
    host.restoreCell(key);
    this.renderStatus(key);
    this.#options.changed?.(key);
  }

  /**
   * The reader's edits of a notebook, compiled to run in place of the author's cells, by id. A
   * held edit (see Recovery) is defined as a cell that fails at once, saying so, so that neither
   * it nor what depends on it runs its code until the reader decides.
   */
  async edited(
    notebook: LoadedNotebook,
    held: (key: CellKey) => boolean = () => false,
  ): Promise<Map<string, LoadedCell>> {
    const edits = this.#options.store.notebook(notebook.name);
    const out = new Map<string, LoadedCell>();
    if (!Object.keys(edits).length) return out;
    const compiler = await this.#options.compiler();
    for (const cell of notebook.cells) {
      const edit = edits[cell.id];
      // An edit made against an older version of the cell waits for the reader to choose.
      if (!edit || edit.pending || editStatus(edit, cell.source).kind !== "current") continue;
      const key = cellKey(notebook.name, cell.id);
      out.set(
        cell.id,
        held(key) ? heldBack(cell, edit.source) : compiler.compileEdit(key, cell, edit.source),
      );
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
    view.setMark("edited", edit && !edit.pending ? "" : undefined);
    this.#diffs.delete(key);
    if (edit?.pending) {
      view.setNotice([
        "This cell has code imported from a file. It has not run: review it, then run it only if you trust it. ",
        {
          label: "Review the code",
          title: "Show the imported code in the editor, without running it",
          run: () => void this.review(key, edit.source),
        },
        {
          label: "Run it",
          title: "Run the imported code",
          run: () => void this.run(key, edit.source),
        },
        { label: "Discard it", title: "Forget the imported code", run: () => this.reset(key) },
      ]);
      return;
    }
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
    this.#reportSaved(key, this.#options.store.saveDraft(key, draft, authored.source));
    this.renderStatus(key);
  }

  /**
   * One notice while edits cannot be kept, however many saves fail, naming the cells whose latest
   * code is not saved; it goes once they all are.
   */
  #reportSaved(key: CellKey, kept: boolean): void {
    const before = [...this.#unsaved].join();
    if (kept) this.#unsaved.delete(key);
    else this.#unsaved.add(key);
    if ([...this.#unsaved].join() === before) return;
    this.#unsavedNotice?.();
    this.#unsavedNotice = undefined;
    if (!this.#unsaved.size) return;
    this.#unsavedNotice = this.#options.notices.show(
      `Not saved in this browser (storage is full or disabled): your latest code for ${[...this.#unsaved].join(", ")}. It runs, but a reload would lose it: export your work from the workshop page, or free some space.`,
    );
  }

  /** Shows or hides the reader's code beside another version (the author's unless said), in the editor or the cell's notice. */
  #toggleDiff(
    key: CellKey,
    parent: HTMLElement | undefined,
    edited: string,
    other?: { label: string; source: string },
  ): void {
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
    const left = other ?? { label: "notebook", source: authored.source };
    void this.#editor().then(({ createDiffView }) =>
      createDiffView(box, left, { label: other ? "this tab" : "yours", source: edited }),
    );
  }

  #editor(): Promise<EditorModule> {
    return (this.#editorModule ??= import("../ui/editor/code-editor.ts"));
  }
}

/** A cell whose edit is held back: it shows the edited code, and fails without running it. */
function heldBack(authored: LoadedCell, source: string): LoadedCell {
  const { highlighted: _author, ...rest } = authored;
  return {
    ...rest,
    source,
    highlighted: escapeHtml(source),
    inputs: [],
    outputs: authored.outputs,
    body: () => {
      throw new HeldBackError();
    },
  };
}

export class HeldBackError extends Error {
  override name = "HeldBack";
  constructor() {
    super("held back: its edited code has not run since the page stopped (see the note above)");
  }
}
