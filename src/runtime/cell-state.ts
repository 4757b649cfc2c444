export type CellState = "pending" | "running" | "ready" | "error";

/** What the page hooks (`flowdeck.cells()`) report for each shown cell. */
export interface CellStatus {
  id: string;
  notebook: string;
  state: CellState;
  error?: string;
  /** still running long after it started: the page stopped waiting for it to settle */
  stalled?: boolean;
}
