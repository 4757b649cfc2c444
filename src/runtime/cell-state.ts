export type CellState = "pending" | "running" | "ready" | "error";

/** What `window.flowdeck.cells()` reports for each mounted cell. */
export interface CellStatus {
  id: string;
  notebook: string;
  state: CellState;
  error?: string;
}
