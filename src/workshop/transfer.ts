/**
 * Export and import of everything a reader keeps in this browser (edits, progress) as one JSON
 * file, so work moves between machines and survives a cleared browser.
 */
import { EDITS_FORMAT, EDITS_PREFIX, isNotebookEdits, type NotebookEdits } from "./edits.ts";
import { PROGRESS_FORMAT, PROGRESS_KEY, isProgress } from "./progress.ts";
import { decodeRecord, encodeRecord, flowdeckKeys, type StorageLike } from "./stored-record.ts";

export const EXPORT_FORMAT = "flowdeck-export";

interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  records: Record<string, string>;
}

const VALIDATORS: Record<string, (data: unknown) => boolean> = {
  [EDITS_FORMAT]: isNotebookEdits,
  [PROGRESS_FORMAT]: isProgress,
};

/** The format a Flowdeck key holds: a record of another format under it is not accepted. */
function formatOfKey(key: string): string | undefined {
  if (key === PROGRESS_KEY) return PROGRESS_FORMAT;
  if (key.startsWith(EDITS_PREFIX) && key.length > EDITS_PREFIX.length) return EDITS_FORMAT;
  return undefined;
}

/** The data of a record whose envelope checks out as `format`, else undefined. */
function validData(text: string, format: string): unknown {
  const validate = VALIDATORS[format];
  if (!validate) return undefined;
  const decoded = decodeRecord(text, format, (d): d is unknown => validate(d));
  return decoded.ok ? decoded.data : undefined;
}

/** A record is exported when its envelope checks out for the format its key holds. */
function validRecord(key: string, text: string): boolean {
  const format = formatOfKey(key);
  return !!format && validData(text, format) !== undefined;
}

export function exportRecords(storage: StorageLike, now = new Date()): string {
  const records: Record<string, string> = {};
  for (const key of flowdeckKeys(storage)) {
    const value = storage.getItem(key);
    if (value !== null && validRecord(key, value)) records[key] = value;
  }
  const file: ExportFile = {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: now.toISOString(),
    records,
  };
  return JSON.stringify(file, null, 2);
}

export interface ImportResult {
  imported: string[];
  rejected: Array<{ key: string; reason: string }>;
}

/** Writes every valid record of an export file; nothing is written if the file itself is not one. */
export function importRecords(storage: StorageLike, text: string): ImportResult {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw new Error("This file is not JSON.");
  }
  const f = file as Partial<ExportFile> | null;
  if (
    !f ||
    f.format !== EXPORT_FORMAT ||
    f.version !== 1 ||
    typeof f.records !== "object" ||
    !f.records
  ) {
    throw new Error("This file is not a Flowdeck export.");
  }
  const result: ImportResult = { imported: [], rejected: [] };
  for (const [key, value] of Object.entries(f.records)) {
    const format = formatOfKey(key);
    const data = format && typeof value === "string" ? validData(value, format) : undefined;
    if (!format) {
      result.rejected.push({ key, reason: "not a key Flowdeck keeps" });
    } else if (data === undefined) {
      result.rejected.push({ key, reason: "damaged, or not the kind of record this key holds" });
    } else {
      // Code from a file runs only once the reader has seen it and said so (see EditController).
      const stored =
        format === EDITS_FORMAT ? encodeRecord(format, asPending(data as NotebookEdits)) : value;
      storage.setItem(key, stored as string);
      result.imported.push(key);
    }
  }
  return result;
}

function asPending(edits: NotebookEdits): NotebookEdits {
  return Object.fromEntries(
    Object.entries(edits).map(([id, edit]) => [id, { ...edit, pending: "imported" as const }]),
  );
}
