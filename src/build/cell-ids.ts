export const CELL_ID = /^[A-Za-z][\w-]*$/;

export interface IdRequest {
  /** the author's `id=`, if any and valid */
  requested?: string;
}

export interface IdAssignment {
  id: string;
  /** set when the author's id was already taken and the cell had to be renamed */
  renamedFrom?: string;
}

/**
 * Gives every cell a unique id in document order. Unnamed cells get `cell-1`, `cell-2`, … (never
 * an id that an author chose elsewhere in the file); a repeated id keeps its first owner and the
 * later cell becomes `id-2`, `id-3`, ….
 */
export function assignCellIds(requests: readonly IdRequest[]): IdAssignment[] {
  const reserved = new Set(requests.flatMap((r) => (r.requested ? [r.requested] : [])));
  const used = new Set<string>();
  const isFree = (id: string) => !used.has(id) && !reserved.has(id);
  let unnamed = 0;
  return requests.map(({ requested }) => {
    let assignment: IdAssignment;
    if (requested !== undefined && !used.has(requested)) {
      assignment = { id: requested };
    } else if (requested !== undefined) {
      let n = 2;
      while (!isFree(`${requested}-${n}`)) n++;
      assignment = { id: `${requested}-${n}`, renamedFrom: requested };
    } else {
      let id: string;
      do id = `cell-${++unnamed}`;
      while (!isFree(id));
      assignment = { id };
    }
    used.add(assignment.id);
    return assignment;
  });
}
