/**
 * reveal.js's responsive scroll view (a window narrower than its activation width) saves the
 * slides' HTML as it turns on and writes that HTML back as it turns off: every live output would
 * be replaced by a dead copy of itself. The slots are numbered before reveal starts, so the
 * copies carry the numbers too; when the slides are rewritten, each live cell goes back into the
 * slot with its place's number, and the copy there is dropped.
 */
import type { CellView } from "../view/cell-view.ts";
import { slotsIn } from "../view/cell-slots.ts";

const NUMBER = "data-slot-n";

/** Numbers the slots under `root`, in document order (once, before reveal saves any HTML). */
export function numberSlots(root: ParentNode): void {
  slotsIn(root).forEach((slot, n) => slot.setAttribute(NUMBER, String(n)));
}

/**
 * Puts every cell whose place left the document back into the slot of the same number under
 * `root`. Returns how many moved.
 */
export function returnOutputs(root: ParentNode, views: readonly CellView[]): number {
  let moved = 0;
  for (const view of views) {
    const place = view.place;
    const n = place?.getAttribute(NUMBER);
    if (!place || place.isConnected || n === null || n === undefined) continue;
    const slot = root.querySelector<HTMLElement>(`[${NUMBER}="${n}"]`);
    if (!slot) continue;
    view.moveTo(slot);
    moved++;
  }
  return moved;
}

/**
 * Watches `root` (reveal's `.slides`) for its slides being rewritten; after each rewrite the
 * cells return to their slots and `returned` runs (in the same task, before anything is drawn).
 */
export function keepOutputsThroughRewrites(
  root: HTMLElement,
  views: () => readonly CellView[],
  returned: () => void,
): () => void {
  const observer = new MutationObserver(() => {
    if (returnOutputs(root, views()) > 0) returned();
  });
  observer.observe(root, { childList: true });
  return () => observer.disconnect();
}
