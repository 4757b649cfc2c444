/**
 * In the speaker view's preview frames the deck is shown again, twice: its cells must not run
 * there a second and third time. Each slot shows what will appear instead.
 */
import { slotKey, slotsIn } from "../view/cell-slots.ts";

export function placeholdersForPreview(root: ParentNode): void {
  for (const slot of slotsIn(root)) {
    const note = document.createElement("div");
    note.className = "fd-preview-placeholder";
    note.textContent = `live cell ${slotKey(slot) ?? ""} — runs on the main screen`;
    slot.replaceChildren(note);
  }
}
