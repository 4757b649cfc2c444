/**
 * Reading and writing Flowdeck's records in the browser's storage, defensively: every record is
 * an envelope with a format name, a version and a checksum, so corrupt, truncated or foreign
 * data is recognised, moved aside (never silently dropped) and reported.
 */

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

export const KEY_PREFIX = "flowdeck:";

/** localStorage, unless the browser forbids it (some private modes throw on access). */
export function browserStorage(): StorageLike | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
const QUARANTINE_PREFIX = `${KEY_PREFIX}quarantine:`;
const FORMAT_VERSION = 1;

interface Envelope {
  format: string;
  version: number;
  checksum: string;
  data: unknown;
}

export interface StorageProblem {
  key: string;
  /** where the bad value was moved to; undefined when it could not be (storage full) and stays */
  movedTo: string | undefined;
  reason: string;
}

/** What a reader is told about a record that could not be read. */
export function describeProblem({ key, movedTo, reason }: StorageProblem): string {
  const where = movedTo
    ? `It was set aside as ${movedTo}`
    : "It could not be set aside (storage is full), so it stays where it is, unused";
  return `Saved data in ${key} could not be read (${reason}). ${where}; the page runs without it.`;
}

/** FNV-1a over the UTF-16 code units: enough to notice truncation and stray edits. */
export function checksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

export function encodeRecord(format: string, data: unknown): string {
  const payload = JSON.stringify(data);
  return JSON.stringify({ format, version: FORMAT_VERSION, checksum: checksum(payload), data });
}

export type Decoded<T> = { ok: true; data: T } | { ok: false; reason: string };

/** Parses an envelope and checks it; `validate` checks the shape of the data inside. */
export function decodeRecord<T>(
  text: string,
  format: string,
  validate: (data: unknown) => data is T,
): Decoded<T> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not valid JSON (truncated or corrupt)" };
  }
  if (!isEnvelope(envelope)) return { ok: false, reason: "not a Flowdeck record" };
  if (envelope.format !== format) {
    return { ok: false, reason: `a "${envelope.format}" record where "${format}" was expected` };
  }
  if (envelope.version !== FORMAT_VERSION) {
    return { ok: false, reason: `format version ${envelope.version}, expected ${FORMAT_VERSION}` };
  }
  if (checksum(JSON.stringify(envelope.data)) !== envelope.checksum) {
    return { ok: false, reason: "checksum mismatch (the record was altered or cut short)" };
  }
  if (!validate(envelope.data)) return { ok: false, reason: "unexpected contents" };
  return { ok: true, data: envelope.data };
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.format === "string" &&
    typeof v.version === "number" &&
    typeof v.checksum === "string" &&
    "data" in v
  );
}

/**
 * One kind of record in storage. Reading never throws: a bad record is moved to a quarantine
 * key, reported through `onProblem`, and read as absent.
 */
export class RecordStore<T> {
  readonly #storage: StorageLike | undefined;
  readonly #format: string;
  readonly #validate: (data: unknown) => data is T;
  readonly #onProblem: (problem: StorageProblem) => void;
  /** damaged values already reported, by key */
  readonly #damaged = new Map<string, string>();

  constructor(options: {
    storage: StorageLike | undefined;
    format: string;
    validate: (data: unknown) => data is T;
    onProblem: (problem: StorageProblem) => void;
  }) {
    this.#storage = options.storage;
    this.#format = options.format;
    this.#validate = options.validate;
    this.#onProblem = options.onProblem;
  }

  read(key: string): T | undefined {
    const text = this.#safe(() => this.#storage?.getItem(key) ?? null, null);
    if (text === null) return undefined;
    const decoded = decodeRecord(text, this.#format, this.#validate);
    if (decoded.ok) return decoded.data;
    // Reported once per damaged value, however often it is read.
    if (this.#damaged.get(key) === text) return undefined;
    this.#damaged.set(key, text);
    const movedTo = `${QUARANTINE_PREFIX}${Date.now()}:${key}`;
    // Removed only once its copy is safe: with storage full, it stays where it is, ignored.
    const copied = this.#safe(() => {
      this.#storage?.setItem(movedTo, text);
      return true;
    }, false);
    if (copied) this.#safe(() => this.#storage?.removeItem(key), undefined);
    this.#onProblem({ key, movedTo: copied ? movedTo : undefined, reason: decoded.reason });
    return undefined;
  }

  /** Returns false when the browser refused (storage full or disabled). */
  write(key: string, data: T): boolean {
    return this.#safe(() => {
      this.#storage?.setItem(key, encodeRecord(this.#format, data));
      return !!this.#storage;
    }, false);
  }

  /** Returns false when the browser refused. */
  remove(key: string): boolean {
    return this.#safe(() => {
      this.#storage?.removeItem(key);
      return !!this.#storage;
    }, false);
  }

  #safe<R>(action: () => R, fallback: R): R {
    try {
      return action();
    } catch {
      return fallback; // storage disabled (private mode) or full: work on without it
    }
  }
}

/** Every Flowdeck key in storage, quarantined records excluded. */
export function flowdeckKeys(storage: StorageLike): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(KEY_PREFIX) && !key.startsWith(QUARANTINE_PREFIX)) keys.push(key);
  }
  return keys.sort();
}
