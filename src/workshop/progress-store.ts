/** Where a learner stands on each exercise, kept in the browser (pure: no DOM). */
import type { CellKey } from "../compiler/cell-key.ts";
import {
  PROGRESS_FORMAT,
  PROGRESS_KEY,
  isProgress,
  type ExerciseProgress,
  type Progress,
} from "./progress.ts";
import { RecordStore, type StorageLike, type StorageProblem } from "./stored-record.ts";

const NOT_STARTED: ExerciseProgress = {
  state: "not started",
  hintsShown: 0,
  solutionShown: false,
  updatedAt: 0,
};

export class ProgressStore {
  readonly #records: RecordStore<Progress>;

  constructor(storage: StorageLike | undefined, onProblem: (problem: StorageProblem) => void) {
    this.#records = new RecordStore({
      storage,
      format: PROGRESS_FORMAT,
      validate: isProgress,
      onProblem,
    });
  }

  all(): Progress {
    return this.#records.read(PROGRESS_KEY) ?? {};
  }

  get(key: CellKey): ExerciseProgress {
    return this.all()[key] ?? NOT_STARTED;
  }

  record(key: CellKey, change: Partial<ExerciseProgress>, now = Date.now()): boolean {
    const all = this.all();
    const next = { ...(all[key] ?? NOT_STARTED), ...change, updatedAt: now };
    return this.#records.write(PROGRESS_KEY, { ...all, [key]: next });
  }
}
