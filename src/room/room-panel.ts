/**
 * What the cluster slide shows of the room: with a room server, the QR code to join and the
 * roster; without one, how to start it and what happens meanwhile (training stays on this
 * browser's workers). Resolves `room` with the presenter's connection, or undefined.
 */
import "./room.css";
import { mountQr, type QrView } from "./qr-view.ts";
import { mountRoster, type RosterView } from "./roster-view.ts";
import {
  openPresenterRoom,
  RoomUnavailableError,
  type PresenterRoom,
  type PresenterRoomOptions,
} from "./ws-link.ts";

export interface RoomPanelOptions extends PresenterRoomOptions {
  /** CSS width of the QR code */
  qrSize?: string;
}

export interface RoomPanel {
  readonly element: HTMLElement;
  /** the connection to the room, or undefined when there is none (the reason is on screen) */
  readonly room: Promise<PresenterRoom | undefined>;
  destroy(): void;
}

function paragraph(text: string, className: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

/** The notice for a deck with no room: how to start one, and the fallback. */
export function noRoomNotice(reason: string): HTMLElement {
  const box = document.createElement("div");
  box.className = "fd-room-absent";
  box.setAttribute("role", "status");
  const how = document.createElement("p");
  how.append("To let the audience join from their phones, run ");
  const command = document.createElement("code");
  command.textContent = "npm run room";
  how.append(command, " on this machine and open the deck at the address it prints.");
  box.append(
    paragraph("No room server is running.", "fd-room-absent-title"),
    how,
    paragraph("Until then, training runs on this browser's own workers.", "fd-room-fallback"),
    paragraph(reason, "fd-room-absent-reason"),
  );
  return box;
}

export function mountRoomPanel(container: HTMLElement, options: RoomPanelOptions = {}): RoomPanel {
  const element = document.createElement("div");
  element.className = "fd-room-panel";
  element.dataset.room = "connecting";
  element.append(paragraph("Looking for a room server…", "fd-room-looking"));
  container.append(element);
  const views: (QrView | RosterView)[] = [];
  let destroyed = false;

  const room = openPresenterRoom(options).then(
    (connected) => {
      if (destroyed) {
        connected.close();
        return undefined;
      }
      element.replaceChildren();
      element.dataset.room = "open";
      const qr = document.createElement("div");
      qr.className = "fd-room-qr";
      const roster = document.createElement("div");
      roster.className = "fd-room-roster";
      element.append(qr, roster);
      views.push(
        mountQr(qr, connected.joinUrl, {
          caption: "Scan to join the training",
          size: options.qrSize,
        }),
        mountRoster(roster, connected),
      );
      connected.onClose((reason) => {
        element.dataset.room = "closed";
        element.prepend(paragraph(`The room closed: ${reason}`, "fd-room-closed"));
      });
      return connected;
    },
    (error: unknown) => {
      if (destroyed) return undefined;
      element.dataset.room = "absent";
      const reason = error instanceof RoomUnavailableError ? error.message : String(error);
      element.replaceChildren(noRoomNotice(reason));
      return undefined;
    },
  );

  return {
    element,
    room,
    destroy() {
      destroyed = true;
      for (const view of views) view.destroy();
      void room.then((r) => r?.close());
      element.remove();
    },
  };
}
