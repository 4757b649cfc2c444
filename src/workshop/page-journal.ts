/**
 * How a page notices that the last one died while running a reader's edit (pure: storage and a
 * clock, no DOM). Every open page with cells keeps a journal in storage: a heartbeat, whether it
 * was hidden, closed or emptied, and which edited cells ran in it. A journal that stopped beating
 * while visible and was never closed belongs to a page that froze or crashed; one marked emptied,
 * to a page whose code removed it. Either way the edited cells that ran there are held back at
 * the next load, until the reader runs or resets them.
 */
import type { CellKey } from "../compiler/cell-key.ts";
import { KEY_PREFIX, RecordStore, type StorageLike, type StorageProblem } from "./stored-record.ts";

const JOURNAL_PREFIX = `${KEY_PREFIX}journal:`;
const HELD_KEY = `${KEY_PREFIX}held`;
const JOURNAL_FORMAT = "flowdeck-journal";
const HELD_FORMAT = "flowdeck-held";

/** A page that has not beaten for this long while visible is taken for frozen or dead. */
export const STALE_MS = 6000;
export const BEAT_MS = 1000;

export type HoldReason = "froze" | "emptied";

interface Journal {
  /** the page's URL path and query, to name it */
  page: string;
  beat: number;
  hidden: boolean;
  closed: boolean;
  /** the cell whose code removed the page, if one did */
  emptiedBy?: string;
  /** edited cells that ran in this page */
  ran: string[];
}

export interface Hold {
  reason: HoldReason;
  /** when the page that died last beat */
  at: number;
  page: string;
}

export type Holds = Record<string, Hold>;

const isJournal = (v: unknown): v is Journal => {
  const j = v as Journal;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof j.page === "string" &&
    typeof j.beat === "number" &&
    typeof j.hidden === "boolean" &&
    typeof j.closed === "boolean" &&
    Array.isArray(j.ran) &&
    j.ran.every((k) => typeof k === "string") &&
    (j.emptiedBy === undefined || typeof j.emptiedBy === "string")
  );
};

const isHolds = (v: unknown): v is Holds =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every(
    (h: unknown) =>
      typeof h === "object" &&
      h !== null &&
      ((h as Hold).reason === "froze" || (h as Hold).reason === "emptied") &&
      typeof (h as Hold).at === "number" &&
      typeof (h as Hold).page === "string",
  );

export class PageJournal {
  readonly #storage: StorageLike | undefined;
  readonly #journals: RecordStore<Journal>;
  readonly #holds: RecordStore<Holds>;
  readonly #key: string;
  readonly #now: () => number;
  #journal: Journal;

  constructor(options: {
    storage: StorageLike | undefined;
    /** unique to this page load */
    id: string;
    page: string;
    onProblem: (problem: StorageProblem) => void;
    now?: () => number;
  }) {
    this.#storage = options.storage;
    this.#now = options.now ?? Date.now;
    const common = { storage: options.storage, onProblem: options.onProblem };
    this.#journals = new RecordStore({ ...common, format: JOURNAL_FORMAT, validate: isJournal });
    this.#holds = new RecordStore({ ...common, format: HELD_FORMAT, validate: isHolds });
    this.#key = `${JOURNAL_PREFIX}${options.id}`;
    this.#journal = {
      page: options.page,
      beat: this.#now(),
      hidden: false,
      closed: false,
      ran: [],
    };
  }

  /**
   * Reads the journals of pages that died (froze, crashed, or were emptied), holds back the
   * edited cells that ran in them, and forgets those journals. Then starts this page's journal.
   */
  open(): Holds {
    const now = this.#now();
    const holds = { ...this.#holds.read(HELD_KEY) };
    for (const key of this.#journalKeys()) {
      const journal = this.#journals.read(key);
      if (!journal) continue;
      const reason = deathOf(journal, now);
      if (!reason && !journal.closed) continue; // another page, alive (or hidden)
      // A page emptied by one cell's code holds back that cell; one that froze, every edit that ran.
      const culprits =
        reason === "emptied" && journal.emptiedBy ? [journal.emptiedBy] : journal.ran;
      if (reason) {
        for (const cell of culprits) holds[cell] = { reason, at: journal.beat, page: journal.page };
      }
      this.#journals.remove(key);
    }
    this.#holds.write(HELD_KEY, holds);
    this.#write();
    return holds;
  }

  holds(): Holds {
    return this.#holds.read(HELD_KEY) ?? {};
  }

  /** The reader ran or reset a held cell: it is not held any more. */
  release(key: CellKey): void {
    const { [key]: _released, ...rest } = this.holds();
    this.#holds.write(HELD_KEY, rest);
  }

  beat(): void {
    this.#journal.beat = this.#now();
    this.#write();
  }

  /** An edited cell started running in this page. */
  ran(key: CellKey): void {
    if (this.#journal.ran.includes(key)) return;
    this.#journal.ran.push(key);
    this.#write();
  }

  /** A hidden page's timers are throttled: its silence is no sign of a freeze. */
  setHidden(hidden: boolean): void {
    this.#journal.hidden = hidden;
    this.beat();
  }

  /** The page's content was removed by a cell's code (e.g. `document.body.innerHTML = ""`). */
  emptied(by: CellKey | undefined): void {
    this.#journal.emptiedBy = by ?? "";
    this.#write();
  }

  /** The page is going away normally (reload, navigation, tab closed). */
  close(): void {
    this.#journal.closed = true;
    this.#write();
  }

  #write(): void {
    this.#journals.write(this.#key, this.#journal);
  }

  #journalKeys(): string[] {
    const keys: string[] = [];
    try {
      for (let i = 0; i < (this.#storage?.length ?? 0); i++) {
        const key = this.#storage?.key(i);
        if (key?.startsWith(JOURNAL_PREFIX) && key !== this.#key) keys.push(key);
      }
    } catch {
      // storage disabled: no journals to read
    }
    return keys;
  }
}

/** Why a journal's page died, or undefined if it did not (as far as anyone can tell). */
export function deathOf(journal: Journal, now: number): HoldReason | undefined {
  if (journal.emptiedBy !== undefined) return "emptied";
  if (journal.closed || journal.hidden) return undefined;
  return now - journal.beat > STALE_MS ? "froze" : undefined;
}
