/**
 * A reader's edits to one notebook's cells: what they ran, what they were typing, and which
 * version of the author's cell they started from, so that an update by the author is noticed
 * rather than hidden under an old edit.
 */
export interface CellEdit {
  /** the source the reader last ran */
  source: string;
  /** the editor's text, when it differs from `source` (typed, not yet run) */
  draft?: string;
  /** the author's source the edit started from */
  baseSource: string;
  savedAt: number;
  /** code from outside this browser (an imported file) that the reader has not accepted: never run by itself */
  pending?: "imported";
}

export type NotebookEdits = Record<string, CellEdit>;

export const EDITS_FORMAT = "flowdeck-edits";

export const EDITS_PREFIX = "flowdeck:edits:";

export function editsKey(notebook: string): string {
  return `${EDITS_PREFIX}${notebook}`;
}

export function isNotebookEdits(value: unknown): value is NotebookEdits {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (edit: unknown) =>
      typeof edit === "object" &&
      edit !== null &&
      typeof (edit as CellEdit).source === "string" &&
      typeof (edit as CellEdit).baseSource === "string" &&
      typeof (edit as CellEdit).savedAt === "number" &&
      ((edit as CellEdit).draft === undefined || typeof (edit as CellEdit).draft === "string") &&
      ((edit as CellEdit).pending === undefined || (edit as CellEdit).pending === "imported"),
  );
}

export type EditStatus =
  /** the edit applies to the author's current version */
  | { kind: "current"; edit: CellEdit }
  /** the author changed the cell since: the reader chooses */
  | { kind: "stale"; edit: CellEdit; authorSource: string };

export function editStatus(edit: CellEdit, authorSource: string): EditStatus {
  return edit.baseSource === authorSource
    ? { kind: "current", edit }
    : { kind: "stale", edit, authorSource };
}
