/** `flowdeck/room`: the audience as a cluster: the room's panel (QR code, roster) and its links. */
export * from "../room/room-panel.ts";
export * from "../room/ws-link.ts";
export * from "../room/qr-view.ts";
