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

/**
 * The notice for a deck with no room: how to start one, and the fallback, in one paragraph. A
 * slide, which has the training below it to show, gets it in one line (room.css picks which).
 * The reason why is added only when it says more than "none is running" (a room that refused
 * this page, or one not on localhost).
 */
export function noRoomNotice(reason: string, why?: RoomUnavailableError["why"]): HTMLElement {
  const box = document.createElement("div");
  box.className = "fd-room-absent";
  box.setAttribute("role", "status");
  const how = document.createElement("p");
  const title = document.createElement("strong");
  title.className = "fd-room-absent-title";
  title.textContent = "No room server is running.";
  const command = document.createElement("code");
  command.textContent = "npm run room";
  const long = document.createElement("span");
  long.className = "fd-room-absent-long";
  long.append(
    " To let the audience join from their phones, run ",
    command,
    " on this machine and open the deck at the address it prints; until then, training runs on this browser's own workers.",
  );
  const short = document.createElement("span");
  short.className = "fd-room-absent-short";
  short.append(" Phones join after ", command.cloneNode(true), "; meanwhile this browser trains.");
  how.append(title, long, short);
  box.append(how);
  if (why !== "absent") box.append(paragraph(reason, "fd-room-absent-reason"));
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
      const known = error instanceof RoomUnavailableError ? error : undefined;
      element.replaceChildren(noRoomNotice(known?.message ?? String(error), known?.why));
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
