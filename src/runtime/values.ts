/**
 * Pure helpers over the values cells produce: finding the tensors and models a cell owns (to
 * dispose them when it re-runs) and recognising generators (to pause them).
 */

interface Disposable {
  dispose(): void;
}
interface TensorLike extends Disposable {
  readonly dataId: object;
  readonly shape: readonly number[];
  readonly isDisposed: boolean;
}

const isObject = (v: unknown): v is Record<PropertyKey, unknown> =>
  typeof v === "object" && v !== null;

export function isTensorLike(v: unknown): v is TensorLike {
  return isObject(v) && "dataId" in v && Array.isArray(v.shape) && typeof v.dispose === "function";
}

/** tf.Variable (and the weights of layers) are owned by their model, never by the cell that reads them. */
const isVariableLike = (v: TensorLike) =>
  typeof (v as unknown as { assign?: unknown }).assign === "function";

/** A tf.LayersModel or anything shaped like one: it has layers and disposes itself. */
function isModelLike(v: unknown): v is Disposable {
  return isObject(v) && Array.isArray(v.layers) && typeof v.dispose === "function";
}

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

export function isGeneratorLike(v: unknown): v is AsyncGenerator<unknown> | Generator<unknown> {
  return (
    isObject(v) &&
    typeof v.next === "function" &&
    typeof v.return === "function" &&
    typeof v.throw === "function"
  );
}

const MAX_DEPTH = 4;

/** Every tensor or model reachable from `value` through arrays, Maps, Sets and plain objects. */
export function collectOwned(
  value: unknown,
  into = new Set<Disposable>(),
  depth = 0,
): Set<Disposable> {
  if (!isObject(value) || depth > MAX_DEPTH || into.has(value as unknown as Disposable))
    return into;
  if (isTensorLike(value)) {
    if (!isVariableLike(value)) into.add(value);
  } else if (isModelLike(value)) {
    into.add(value);
  } else if (Array.isArray(value) || value instanceof Set) {
    for (const item of value) collectOwned(item, into, depth + 1);
  } else if (value instanceof Map) {
    for (const item of value.values()) collectOwned(item, into, depth + 1);
  } else if (isPlain(value)) {
    for (const key of Object.keys(value)) collectOwned(value[key], into, depth + 1);
  }
  return into;
}

/** Disposes what `value` owns, except what also came in through `borrowed` (a cell's inputs). */
export function disposeOwned(value: unknown, borrowed: unknown[] = []): number {
  const owned = collectOwned(value);
  const keep = collectOwned(borrowed);
  let count = 0;
  for (const item of owned) {
    if (keep.has(item)) continue;
    if (isTensorLike(item) && item.isDisposed) continue;
    try {
      item.dispose();
      count++;
    } catch {
      // already disposed by its author: nothing left to free
    }
  }
  return count;
}
