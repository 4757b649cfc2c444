/**
 * A cell's key, `notebook/cell`: the one name a cell goes by from the compiler onwards (in
 * `data-slot` and `data-cell`, in storage, in links, in the runtime). Notebook names are
 * `[a-z0-9-]+` and cell ids `[A-Za-z][\w-]*`, so the first slash is the separator.
 */
export type CellKey = `${string}/${string}`;

export interface CellAddress {
  notebook: string;
  cell: string;
}

export function cellKey(notebook: string, cell: string): CellKey {
  return `${notebook}/${cell}`;
}

/** Splits a key; undefined when `text` is not one (no slash, or an empty part). */
export function parseCellKey(text: string): CellAddress | undefined {
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) return undefined;
  return { notebook: text.slice(0, slash), cell: text.slice(slash + 1) };
}

export function isCellKey(text: string): text is CellKey {
  return parseCellKey(text) !== undefined;
}
