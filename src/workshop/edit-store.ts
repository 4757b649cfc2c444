/**
 * A reader's edits, kept per notebook in the browser's storage (pure: no DOM). What was run, what
 * is being typed, and which version of the author's cell it started from.
 */
import { parseCellKey, type CellKey } from "../compiler/cell-key.ts";
import {
  EDITS_FORMAT,
  editsKey,
  isNotebookEdits,
  type CellEdit,
  type NotebookEdits,
} from "./edits.ts";
import { RecordStore, type StorageLike, type StorageProblem } from "./stored-record.ts";

export class EditStore {
  readonly #records: RecordStore<NotebookEdits>;

  constructor(storage: StorageLike | undefined, onProblem: (problem: StorageProblem) => void) {
    this.#records = new RecordStore({
      storage,
      format: EDITS_FORMAT,
      validate: isNotebookEdits,
      onProblem,
    });
  }

  /** Every edit of a notebook, by cell id. */
  notebook(name: string): NotebookEdits {
    return this.#records.read(editsKey(name)) ?? {};
  }

  edit(key: CellKey): CellEdit | undefined {
    const address = parseCellKey(key);
    return address && this.notebook(address.notebook)[address.cell];
  }

  /** Returns false when the browser refused to keep it (storage full or disabled). */
  save(key: CellKey, edit: CellEdit): boolean {
    return this.#change(key, (edits, cell) => ({ ...edits, [cell]: edit }));
  }

  forget(key: CellKey): boolean {
    return this.#change(key, (edits, cell) => {
      const { [cell]: _gone, ...rest } = edits;
      return rest;
    });
  }

  /**
   * Keeps what the reader is typing. `ran` is the code the cell runs now, `authored` the author's:
   * a draft equal to what runs is no draft at all, and nothing is stored for an untouched cell.
   */
  saveDraft(key: CellKey, draft: string, authored: string, now = Date.now()): boolean {
    const current = this.edit(key);
    const ran = current?.source ?? authored;
    if (draft === ran && !current?.draft) return true;
    if (!current && draft === authored) return true;
    const { draft: _old, ...rest } = current ?? { source: ran, baseSource: authored, savedAt: 0 };
    return this.save(
      key,
      draft === ran ? { ...rest, savedAt: now } : { ...rest, draft, savedAt: now },
    );
  }

  /** The sources the reader changed in a notebook, by cell id (for a shared link). */
  editedSources(name: string): Record<string, string> {
    return Object.fromEntries(Object.entries(this.notebook(name)).map(([id, e]) => [id, e.source]));
  }

  #change(key: CellKey, change: (edits: NotebookEdits, cell: string) => NotebookEdits): boolean {
    const address = parseCellKey(key);
    if (!address) return false;
    const storeKey = editsKey(address.notebook);
    const next = change(this.notebook(address.notebook), address.cell);
    if (Object.keys(next).length) return this.#records.write(storeKey, next);
    return this.#records.remove(storeKey);
  }
}
