/**
 * Which cells may run their loops: those on screen, and every cell they depend on, directly or
 * not. A generator that feeds a visible chart keeps running though its own cell is off screen;
 * a training loop whose slide was left, with nothing visible depending on it, pauses.
 */

export interface CellNode {
  id: string;
  inputs: readonly string[];
  /** names the cell defines */
  outputs: readonly string[];
  /** on screen now */
  active: boolean;
}

export function neededCells(cells: readonly CellNode[]): Set<string> {
  const definer = new Map<string, CellNode>();
  for (const cell of cells) for (const name of cell.outputs) definer.set(name, cell);
  const needed = new Set<string>();
  const stack = cells.filter((cell) => cell.active);
  while (stack.length) {
    const cell = stack.pop()!;
    if (needed.has(cell.id)) continue;
    needed.add(cell.id);
    for (const name of cell.inputs) {
      const source = definer.get(name);
      if (source && !needed.has(source.id)) stack.push(source);
    }
  }
  return needed;
}
