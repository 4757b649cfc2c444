/**
 * A cell that measures (a benchmark, a pipeline timing its steps) first shows "starting…" and
 * its numbers only later. The printed deck must show the numbers: the print view waits for every
 * cell that called `measuring()` to end, for at most a bounded time, and says on screen (never on
 * paper) what it waits for. Past the bound, each prints what it has measured so far.
 */
import type { CellKey } from "../compiler/cell-key.ts";

/** Long enough for the talk's benchmarks, one after the other, on a slow 2-core machine. */
export const PRINT_MEASURE_MS = 240_000;
const CHECK_EVERY_MS = 250;

export interface MeasuringCells {
  /** the cells still measuring now */
  measuring(): CellKey[];
}

/** The status line shown while the print view waits. */
export function measuringText(keys: readonly CellKey[], msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  const what = keys.length === 1 ? "1 output" : `${keys.length} outputs`;
  return `Measuring before printing: ${what} (${keys.join(", ")}), at most ${seconds} s more…`;
}

/**
 * Resolves once no cell is measuring, or after `timeoutMs`, with the cells still measuring then.
 * `status` is told what to show while it waits, and "" once it is done.
 */
export async function awaitMeasurements(
  cells: MeasuringCells,
  { timeoutMs = PRINT_MEASURE_MS, status }: { timeoutMs?: number; status(text: string): void },
): Promise<CellKey[]> {
  const start = performance.now();
  for (;;) {
    const keys = cells.measuring();
    const left = timeoutMs - (performance.now() - start);
    if (!keys.length || left <= 0) {
      status("");
      return keys;
    }
    status(measuringText(keys, left));
    await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
  }
}

/** A line at the top of the print view's screen (hidden on paper by deck.css). */
export function printStatusLine(parent: HTMLElement = document.body): (text: string) => void {
  let line: HTMLElement | undefined;
  return (text) => {
    if (!text) {
      line?.remove();
      line = undefined;
      return;
    }
    if (!line) {
      line = document.createElement("div");
      line.className = "fd-print-status";
      line.setAttribute("role", "status");
      parent.append(line);
    }
    line.textContent = text;
  };
}
