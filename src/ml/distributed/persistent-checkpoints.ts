/**
 * Checkpoints that survive a reload: kept in memory (the Cluster reads and writes them
 * synchronously) and written through to IndexedDB, from which `open` reads them back when the
 * page starts. Where IndexedDB is missing, refuses to open, or is full, the store goes on in
 * memory alone and says so in `problem`: nothing saved so far is lost, but a reload would start
 * afresh. With each checkpoint it keeps the run's settings, so a reloaded page knows what the
 * run it resumes was.
 */
import { MemoryCheckpoints, type CheckpointStore } from "./cluster.ts";
import type { Checkpoint, TrainingConfig } from "./coordinator.ts";

const DB = "flowdeck-distributed";
const STORE = "checkpoints";

interface Saved {
  key: string;
  checkpoint: Checkpoint;
  config: TrainingConfig | undefined;
  /** Date.now() when saved */
  savedAt: number;
}

export interface SavedRun {
  key: string;
  config: TrainingConfig;
  step: number;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("an IndexedDB request failed"));
  });
}

function done(t: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error ?? new Error("an IndexedDB transaction failed"));
    t.onabort = () => reject(t.error ?? new Error("an IndexedDB transaction was aborted"));
  });
}

const reason = (error: unknown) =>
  error instanceof DOMException && error.name === "QuotaExceededError"
    ? "the browser's storage for this site is full"
    : error instanceof Error
      ? error.message
      : String(error);

export class PersistentCheckpoints implements CheckpointStore {
  readonly #memory = new MemoryCheckpoints();
  readonly #saved = new Map<string, Omit<Saved, "checkpoint">>();
  #db: IDBDatabase | undefined;
  /** checkpoints to write, newest per key; one write at a time */
  readonly #pending = new Map<string, Saved | null>();
  #writing: Promise<void> | undefined;
  #clock = 0;
  /** why checkpoints are in memory only, or "" while IndexedDB keeps them */
  problem = "";
  /** told when `problem` is set */
  onProblem: ((problem: string) => void) | undefined;

  /** Opens the store and reads back what IndexedDB holds (`factory` undefined: memory only). */
  static async open(
    factory: IDBFactory | undefined = globalThis.indexedDB,
  ): Promise<PersistentCheckpoints> {
    const store = new PersistentCheckpoints();
    if (!factory) {
      store.#fail("this browser has no IndexedDB");
      return store;
    }
    try {
      const open = factory.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "key" });
      const db = await request(open);
      const all = (await request(
        db.transaction(STORE, "readonly").objectStore(STORE).getAll(),
      )) as Saved[];
      for (const s of all) {
        if (!s || typeof s.key !== "string" || !(s.checkpoint?.params instanceof Float32Array))
          continue;
        store.#memory.save(s.key, s.checkpoint);
        store.#saved.set(s.key, { key: s.key, config: s.config, savedAt: s.savedAt });
        store.#clock = Math.max(store.#clock, s.savedAt);
      }
      store.#db = db;
    } catch (error) {
      store.#fail(`IndexedDB could not be opened (${reason(error)})`);
    }
    return store;
  }

  /** the most recently saved run that has its settings, to resume after a reload */
  latest(): SavedRun | undefined {
    const newest = [...this.#saved.values()]
      .filter((s) => s.config)
      .sort((a, b) => b.savedAt - a.savedAt)[0];
    const checkpoint = newest && this.#memory.load(newest.key);
    return newest?.config && checkpoint
      ? { key: newest.key, config: newest.config, step: checkpoint.step }
      : undefined;
  }

  /** true while checkpoints reach IndexedDB */
  get persistent(): boolean {
    return this.#db !== undefined;
  }

  load(key: string): Checkpoint | undefined {
    return this.#memory.load(key);
  }

  save(key: string, checkpoint: Checkpoint, config?: TrainingConfig): void {
    this.#memory.save(key, checkpoint);
    const known = this.#saved.get(key);
    // strictly increasing, so that the latest of two saves in one millisecond is known
    this.#clock = Math.max(Date.now(), this.#clock + 1);
    const entry = { key, config: config ?? known?.config, savedAt: this.#clock };
    this.#saved.set(key, entry);
    if (!this.#db) return;
    this.#pending.set(key, { ...entry, checkpoint: this.#memory.load(key)! });
    this.#flush();
  }

  delete(key: string): void {
    this.#memory.delete(key);
    this.#saved.delete(key);
    if (!this.#db) return;
    this.#pending.set(key, null);
    this.#flush();
  }

  /** resolves once every checkpoint saved so far has been written (or the store fell back) */
  async flushed(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  #flush(): void {
    if (this.#writing || !this.#db) return;
    this.#writing = this.#write().finally(() => {
      this.#writing = undefined;
      if (this.#pending.size && this.#db) this.#flush();
    });
  }

  async #write(): Promise<void> {
    const db = this.#db!;
    const batch = [...this.#pending];
    this.#pending.clear();
    try {
      const t = db.transaction(STORE, "readwrite");
      const store = t.objectStore(STORE);
      for (const [key, saved] of batch) {
        if (saved) store.put(saved);
        else store.delete(key);
      }
      await done(t);
    } catch (error) {
      // what failed to reach the disk is still in memory
      this.#fail(`checkpoints could not be written to IndexedDB (${reason(error)})`);
    }
  }

  #fail(why: string): void {
    this.#db?.close();
    this.#db = undefined;
    this.#pending.clear();
    this.problem = `checkpoints kept in memory only: ${why}; a reload will start afresh`;
    this.onProblem?.(this.problem);
  }
}
