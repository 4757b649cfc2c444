/**
 * A few values kept across a cell's runs, by key. A revisited slide re-runs its cell; what only
 * depends on the key (the loss surface's contours: ~100 ms of Plot's main-thread work) is then
 * reused instead of recomputed while the slide arrives.
 */
const kept = new Map<string, unknown>();
const KEEP = 4;

export function remembered<T>(key: string, make: () => T): T {
  if (kept.has(key)) {
    const value = kept.get(key) as T;
    kept.delete(key); // most recent last
    kept.set(key, value);
    return value;
  }
  const value = make();
  kept.set(key, value);
  while (kept.size > KEEP) kept.delete(kept.keys().next().value as string);
  return value;
}
