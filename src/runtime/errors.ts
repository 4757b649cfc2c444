/**
 * The message a reader sees when a cell fails. A cell that fails shows its own error; a cell
 * whose input failed says which input and which cell defines it, instead of repeating the
 * message as if it were its own.
 */

/** Makes any thrown value an Error, so every failure has a message worth showing. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (thrown === undefined) return new Error("undefined was thrown");
  try {
    return new Error(`${typeof thrown === "string" ? thrown : JSON.stringify(thrown)} was thrown`);
  } catch {
    return new Error(`${String(thrown)} was thrown`);
  }
}

export interface ErrorReport {
  /** the cell whose failure this is: the cell itself, or the one defining the failed input */
  origin: string;
  /** the input through which the failure arrived, if it came from another cell */
  failedInput?: string;
  message: string;
  /** an exercise check saying "not yet": feedback for a learner, not a fault to locate */
  feedback?: boolean;
}

export interface CellIdentity {
  key: string;
  inputs: readonly string[];
}

/**
 * Explains an error that reached `cell`. The Observable runtime hands a dependent a RuntimeError
 * whose `input` names the variable that failed; `definerOf` says which cell defines a name.
 */
export function explainError(
  error: unknown,
  cell: CellIdentity,
  definerOf: (name: string) => string | undefined,
): ErrorReport {
  const message = errorMessage(error);
  const input = (error as { input?: unknown } | null)?.input;
  if (typeof input === "string" && cell.inputs.includes(input)) {
    const definer = definerOf(input);
    if (definer && definer !== cell.key) return { origin: definer, failedInput: input, message };
  }
  return isFeedback(error)
    ? { origin: cell.key, message, feedback: true }
    : { origin: cell.key, message };
}

/** The name the workshop's `check` gives its failures (src/workshop/checks.ts). */
export const FEEDBACK_NAME = "Not yet";

function isFeedback(error: unknown): boolean {
  return error instanceof Error && error.name === FEEDBACK_NAME && !("input" in error);
}

/** Engine errors whose own words do not tell a reader what happened. */
const EXPLAINED: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [
    /^Invalid typed array length: (\d+)$/,
    (m) =>
      `a tensor of ${Number(m[1]).toLocaleString("en")} values is too large to allocate here ` +
      `(${formatGB(Number(m[1]) * 4)} as float32); the other cells and the backend are unaffected`,
  ],
  [
    /^Array buffer allocation failed$/,
    () => "the browser could not allocate that much memory; the other cells are unaffected",
  ],
];

function formatGB(bytes: number): string {
  return `${(bytes / 1e9).toLocaleString("en", { maximumFractionDigits: 1 })} GB`;
}

function explained(message: string): string {
  for (const [pattern, explain] of EXPLAINED) {
    const match = pattern.exec(message);
    if (match) return `${message}: ${explain(match)}`;
  }
  return message;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    // A failed input arrives as the runtime's RuntimeError carrying the original message.
    const name =
      error.name && error.name !== "Error" && !("input" in error) ? `${error.name}: ` : "";
    return `${name}${explained(error.message)}`;
  }
  return String(error);
}

/** One line for the alert: what failed and where. */
export function formatReport(report: ErrorReport): string {
  if (!report.failedInput) return report.message;
  return `Input \`${report.failedInput}\` failed (in cell ${report.origin}): ${report.message}`;
}

/**
 * The alert shown in place: a fault names its cell (so a reader of a long page can say which
 * one broke); a check's "Not yet" sits under the exercise it is about and needs no cell key.
 */
export function formatAlert(cellKey: string, report: ErrorReport): string {
  const line = formatReport(report);
  return report.feedback ? line : `${cellKey}: ${line}`;
}
