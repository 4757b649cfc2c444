/** Where a learner stands on each exercise, kept in the browser across visits. */

export type ExerciseState = "not started" | "failing" | "passed" | "solution shown";

export interface ExerciseProgress {
  state: ExerciseState;
  hintsShown: number;
  solutionShown: boolean;
  updatedAt: number;
}

/** by exercise key, `notebook/cell` */
export type Progress = Record<string, ExerciseProgress>;

export const PROGRESS_FORMAT = "flowdeck-progress";
export const PROGRESS_KEY = "flowdeck:progress";

const STATES: readonly string[] = ["not started", "failing", "passed", "solution shown"];

export function isProgress(value: unknown): value is Progress {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (p: unknown) =>
      typeof p === "object" &&
      p !== null &&
      STATES.includes((p as ExerciseProgress).state) &&
      typeof (p as ExerciseProgress).hintsShown === "number" &&
      typeof (p as ExerciseProgress).solutionShown === "boolean" &&
      typeof (p as ExerciseProgress).updatedAt === "number",
  );
}

/** The state an exercise is in, from what the learner did and what its checks say now. */
export function exerciseState(input: {
  edited: boolean;
  solutionShown: boolean;
  checks: ReadonlyArray<"pending" | "running" | "ready" | "error">;
}): ExerciseState {
  if (input.solutionShown) return "solution shown";
  if (!input.edited) return "not started";
  const passed = input.checks.length > 0 && input.checks.every((state) => state === "ready");
  return passed ? "passed" : "failing";
}
