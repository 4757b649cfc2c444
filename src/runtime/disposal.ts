/**
 * Pure helpers over the values cells produce: finding what a cell owns and must release when it
 * re-runs or goes (tensors, models, anything with `dispose()`, `destroy()` or
 * `Symbol.dispose`), and recognising generators (to pause them).
 */

type Release = () => void;

interface TensorLike {
  readonly dataId: object;
  readonly shape: readonly number[];
  readonly isDisposed: boolean;
  dispose(): void;
}

const isObject = (v: unknown): v is Record<PropertyKey, unknown> =>
  typeof v === "object" && v !== null;

/** `Symbol.dispose` where the platform has it (explicit resource management). */
const DISPOSE: symbol | undefined = (Symbol as { dispose?: symbol }).dispose;

export function isTensorLike(v: unknown): v is TensorLike {
  return isObject(v) && "dataId" in v && Array.isArray(v.shape) && typeof v.dispose === "function";
}

/** tf.Variable (and the weights of layers) belong to their model, not to a cell that returns them. */
const isVariableLike = (v: TensorLike) =>
  typeof (v as unknown as { assign?: unknown }).assign === "function";

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** A module's namespace (`import * as x`): never the cell's to release, though it may export `dispose`. */
const isModuleNamespace = (v: object) => Object.prototype.toString.call(v) === "[object Module]";

/** A DOM node: shown by the cell, released by the page, never traversed. */
const isNode = (v: object) => typeof (v as { nodeType?: unknown }).nodeType === "number";

export function isGeneratorLike(v: unknown): v is AsyncGenerator<unknown> | Generator<unknown> {
  return (
    isObject(v) &&
    typeof v.next === "function" &&
    typeof v.return === "function" &&
    typeof v.throw === "function"
  );
}

/** How to release `value` if it is releasable itself: dispose, else destroy, else Symbol.dispose. */
export function releaseOf(value: unknown): Release | undefined {
  if (!isObject(value) || isModuleNamespace(value) || isNode(value)) return undefined;
  if (isTensorLike(value)) {
    return () => {
      if (!value.isDisposed) value.dispose();
    };
  }
  for (const name of ["dispose", "destroy"] as const) {
    const method = value[name];
    if (typeof method === "function") return () => void method.call(value);
  }
  const symbolic = DISPOSE && value[DISPOSE];
  return typeof symbolic === "function" ? () => void symbolic.call(value) : undefined;
}

const MAX_DEPTH = 4;

/**
 * Everything releasable reachable from `value` through arrays, Maps, Sets and plain objects (a
 * class instance is released as a whole or not at all). tf.Variables are skipped unless
 * `variables` is set: a cell that returns one usually read it from a model that owns it.
 */
export function collectOwned(
  value: unknown,
  { variables = false }: { variables?: boolean } = {},
  into = new Set<object>(),
  depth = 0,
): Set<object> {
  if (!isObject(value) || depth > MAX_DEPTH || into.has(value)) return into;
  const deeper = (item: unknown) => collectOwned(item, { variables }, into, depth + 1);
  if (isTensorLike(value)) {
    if (variables || !isVariableLike(value)) into.add(value);
  } else if (Array.isArray(value) || value instanceof Set) {
    for (const item of value) deeper(item);
  } else if (value instanceof Map) {
    for (const item of value.values()) deeper(item);
  } else if (isGeneratorLike(value) || isModuleNamespace(value) || isNode(value)) {
    // a generator is stopped by the runtime; modules and nodes are never the cell's
  } else if (releaseOf(value)) {
    into.add(value);
  } else if (isPlain(value)) {
    for (const key of Object.keys(value)) deeper(value[key]);
  }
  return into;
}

/** Releases one thing, once; a release that throws (already released) is ignored. */
export function release(value: unknown): boolean {
  const run = releaseOf(value);
  if (!run) return false;
  try {
    run();
    return true;
  } catch {
    return false; // released already by its author: nothing left to free
  }
}

/** Releases what `value` owns, except what also came in through `borrowed` (a cell's inputs). */
export function disposeOwned(value: unknown, borrowed: unknown[] = []): number {
  const keep = collectOwned(borrowed);
  let count = 0;
  for (const item of collectOwned(value)) {
    if (keep.has(item)) continue;
    if (isTensorLike(item) && item.isDisposed) continue;
    if (release(item)) count++;
  }
  return count;
}
