/**
 * The room's roster as a table: each member's device, backend, state, and the reason it left
 * or was thrown out. Everything a member said about itself is set as text, never as HTML.
 */
import type { RosterEntry, RosterState } from "./roster.ts";

const STATE_LABELS: Record<RosterState, string> = {
  connected: "in",
  lost: "lost",
  left: "left",
  rejected: "rejected",
  refused: "refused",
};

export interface RosterSource {
  onRoster(listener: (entries: RosterEntry[]) => void): () => void;
}

export interface RosterView {
  readonly element: HTMLElement;
  destroy(): void;
}

function cell(row: HTMLTableRowElement, text: string, className: string): void {
  const td = row.insertCell();
  td.className = className;
  td.textContent = text;
}

export function renderRosterRow(row: HTMLTableRowElement, entry: RosterEntry): void {
  row.replaceChildren();
  row.dataset.key = entry.key;
  row.dataset.state = entry.state;
  if (entry.id !== null) row.dataset.member = String(entry.id);
  cell(row, entry.id === null ? "–" : `#${entry.id}`, "fd-roster-id");
  cell(row, entry.device?.name ?? "a device", "fd-roster-name");
  cell(row, entry.device?.kind ?? "", "fd-roster-kind");
  cell(row, entry.device?.backend ?? "", "fd-roster-backend");
  const returns = entry.returns > 0 ? ` (back ×${entry.returns})` : "";
  cell(
    row,
    STATE_LABELS[entry.state] + (entry.state === "connected" ? returns : ""),
    "fd-roster-state",
  );
  cell(row, entry.reason, "fd-roster-reason");
}

export function mountRoster(container: HTMLElement, source: RosterSource): RosterView {
  const table = document.createElement("table");
  table.className = "fd-roster";
  table.createCaption().textContent = "Devices in the room";
  const head = table.createTHead().insertRow();
  for (const title of ["", "device", "kind", "backend", "state", "why"]) {
    const th = document.createElement("th");
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  const empty = document.createElement("p");
  empty.className = "fd-roster-empty";
  empty.textContent = "No device has joined yet.";
  const element = document.createElement("div");
  element.className = "fd-roster-box";
  element.append(table, empty);
  container.append(element);

  const stop = source.onRoster((entries) => {
    body.replaceChildren();
    for (const entry of entries) renderRosterRow(body.insertRow(), entry);
    empty.hidden = entries.length > 0;
  });
  return {
    element,
    destroy() {
      stop();
      element.remove();
    },
  };
}
