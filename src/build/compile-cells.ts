import { assignCellIds } from "./cell-ids.ts";
import { filePosition, placeSlot } from "./markdown-cells.ts";
import type { CellDraft, DraftProblem, Slot } from "./markdown-cells.ts";
import { transpileCell, unshownResult } from "../compiler/transpile-cell.ts";
import type { CellSpec, CompileWarning } from "../compiler/types.ts";

/**
 * Names, transpiles and places the cells found in one Markdown file (notebook or deck). Problems
 * become warnings at their position in the file; nothing here throws on author input.
 */
export function compileCells(
  drafts: readonly CellDraft[],
  problems: readonly DraftProblem[],
  file: string,
  slotFor: (id: string, draft: CellDraft) => Slot,
): { cells: CellSpec[]; warnings: CompileWarning[] } {
  const warnings: CompileWarning[] = problems.map(({ line, message }) => ({
    file,
    line,
    column: 1,
    message,
  }));
  const ids = assignCellIds(drafts);
  const cells = drafts.map((draft, i) => {
    const { id, renamedFrom } = ids[i]!;
    const start = cellStart(draft);
    if (renamedFrom !== undefined) {
      const message = `Duplicate cell id "${renamedFrom}": this cell is renamed "${id}"`;
      warnings.push({ file, ...start, message });
    }
    const slot = slotFor(id, draft);
    const options = { id, inline: draft.inline, echo: draft.echo, key: slot.slot };
    const cell = transpileCell(draft.source, options);
    if (cell.error) {
      const at = filePosition(draft, cell.error);
      warnings.push({ file, ...at, message: `Cell "${id}": ${cell.error.message}` });
    } else if (!draft.inline) {
      const unshown = unshownResult(draft.source);
      if (unshown) {
        const at = filePosition(draft, unshown);
        warnings.push({ file, ...at, message: `Cell "${id}": ${unshown.message}` });
      }
    }
    placeSlot(draft, slot);
    return cell;
  });
  warnings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { cells, warnings };
}

/** The fence line of a block cell, or the `$` of an inline one (1-based). */
function cellStart(draft: CellDraft): { line: number; column: number } {
  return draft.inline
    ? { line: draft.line, column: Math.max(1, draft.column - 1) }
    : { line: draft.line - 1, column: draft.column + 1 };
}
