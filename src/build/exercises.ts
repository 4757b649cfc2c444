/**
 * The parts of an exercise that are not cells: hints (```hint for=<id>, Markdown) and the
 * solution (```js solution=<id>). They are taken out of the prose and attached to the exercise
 * cell, whose page reveals them on request.
 */
import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { HIDDEN } from "./markdown-cells.ts";
import type { CellDraft, DraftProblem } from "./markdown-cells.ts";
import type { CellSpec, ExerciseSpec } from "../compiler/types.ts";

interface Part {
  for: string;
  line: number;
}

export interface ExerciseParts {
  hints: Array<Part & { html: string }>;
  solutions: Array<Part & { source: string }>;
}

const PART = /^(?:(hint)|js)\s+(?:for|solution)=([A-Za-z][\w-]*)\s*$/;

/** Finds hint and solution fences, hides them from the prose, and returns them. */
export function takeExerciseParts(tokens: Token[], md: MarkdownIt, lineOffset = 0): ExerciseParts {
  const parts: ExerciseParts = { hints: [], solutions: [] };
  for (const token of tokens) {
    if (token.type !== "fence") continue;
    const info = token.info.trim();
    const match = PART.exec(info);
    if (!match) continue;
    const isHint = match[1] === "hint";
    if (!isHint && !/\bsolution=/.test(info)) continue;
    const part = { for: match[2]!, line: (token.map?.[0] ?? 0) + lineOffset + 1 };
    if (isHint) parts.hints.push({ ...part, html: md.render(token.content) });
    else parts.solutions.push({ ...part, source: token.content.replace(/\n$/, "") });
    token.type = HIDDEN;
  }
  return parts;
}

/** Attaches hints and solutions to their exercise cells and marks check cells. */
export function attachExercises(
  cells: CellSpec[],
  drafts: readonly CellDraft[],
  parts: ExerciseParts,
): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const exercises = new Map<string, ExerciseSpec>();
  cells.forEach((cell, i) => {
    const draft = drafts[i];
    if (draft?.exercise) exercises.set(cell.id, (cell.exercise = { hints: [] }));
    if (draft?.checks !== undefined) cell.checks = draft.checks;
  });
  for (const hint of parts.hints) {
    const exercise = exercises.get(hint.for);
    if (exercise) exercise.hints.push(hint.html);
    else problems.push({ line: hint.line, message: `Hint for unknown exercise "${hint.for}"` });
  }
  for (const solution of parts.solutions) {
    const exercise = exercises.get(solution.for);
    if (exercise) exercise.solution = solution.source;
    else
      problems.push({
        line: solution.line,
        message: `Solution for unknown exercise "${solution.for}"`,
      });
  }
  for (const cell of cells) {
    if (cell.checks !== undefined && !exercises.has(cell.checks)) {
      problems.push({
        line: 1,
        message: `Cell "${cell.id}" checks unknown exercise "${cell.checks}"`,
      });
    }
  }
  return problems;
}
