/**
 * Export and import of everything a reader keeps in this browser (edits, progress) as one JSON
 * file, so work moves between machines and survives a cleared browser.
 */
import { EDITS_FORMAT, isNotebookEdits } from "./edits.ts";
import { PROGRESS_FORMAT, isProgress } from "./progress.ts";
import { decodeRecord, flowdeckKeys, type StorageLike } from "./stored-record.ts";

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

/** A record is importable when its envelope checks out for a format Flowdeck knows. */
function validRecord(text: string): boolean {
  let format: unknown;
  try {
    format = (JSON.parse(text) as { format?: unknown }).format;
  } catch {
    return false;
  }
  const validate = typeof format === "string" ? VALIDATORS[format] : undefined;
  return !!validate && decodeRecord(text, format as string, (d): d is unknown => validate(d)).ok;
}

export function exportRecords(storage: StorageLike, now = new Date()): string {
  const records: Record<string, string> = {};
  for (const key of flowdeckKeys(storage)) {
    const value = storage.getItem(key);
    if (value !== null && validRecord(value)) records[key] = value;
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
    if (!key.startsWith("flowdeck:") || key.startsWith("flowdeck:quarantine:")) {
      result.rejected.push({ key, reason: "not a Flowdeck key" });
    } else if (typeof value !== "string" || !validRecord(value)) {
      result.rejected.push({ key, reason: "damaged or unknown record" });
    } else {
      storage.setItem(key, value);
      result.imported.push(key);
    }
  }
  return result;
}
