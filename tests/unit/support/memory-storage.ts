import type { StorageLike } from "../../../src/workshop/stored-record.ts";

/** An in-memory Storage; `full` makes every write throw as a full localStorage does. */
export function memoryStorage(
  initial: Record<string, string> = {},
): StorageLike & { data: Map<string, string>; full: boolean } {
  const data = new Map(Object.entries(initial));
  const storage = {
    data,
    full: false,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (storage.full)
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      data.set(k, v);
    },
    removeItem: (k: string) => void data.delete(k),
    key: (i: number) => [...data.keys()][i] ?? null,
    get length() {
      return data.size;
    },
  };
  return storage;
}
