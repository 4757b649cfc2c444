/**
 * The room's links over WebSockets, browser side. The presenter's page opens one socket to the
 * room server and gets one `Link` per joined member; a member's page opens one socket and gets
 * one `Link` to the presenter (a new one each time a presenter's page connects). Training code
 * holds these exactly as it holds a Worker's link.
 *
 * Both sides answer the server's heartbeats and count the server gone after `deadAfterMs` of
 * silence. A member whose connection drops tries to come back for a while, as the same member
 * (same id, same device entry): its link closed when the connection dropped, and a fresh one
 * opens once it is back and a presenter is there. Nothing sent while away is replayed.
 */
import type { Link } from "../ml/distributed/transport.ts";
import { decodeFrame, encodeFrame } from "./framing.ts";
import {
  CLOSE,
  DEFAULT_LIMITS,
  DEFAULT_TIMING,
  encodeControl,
  FINAL_CLOSE_CODES,
  parsePresenterInfo,
  parseToMember,
  parseToPresenter,
  PRESENTER_INFO_PATH,
  PROTOCOL_VERSION,
  socketUrl,
  type DeviceInfo,
  type MemberControl,
  type MemberInfo,
  type PresenterControl,
  type ToPresenter,
} from "./protocol.ts";
import { Roster, type RosterEntry } from "./roster.ts";

/** Opens a WebSocket; tests in Node pass ws's, pages use the browser's. */
export type SocketFactory = (url: string) => WebSocket;

const browserSocket: SocketFactory = (url) => new WebSocket(url);

/** What the pages accept from the server: generous, since the server has checked already. */
const RECEIVE_LIMITS = {
  maxFrameBytes: DEFAULT_LIMITS.presenterFrameBytes,
  maxHeaderBytes: DEFAULT_LIMITS.headerBytes,
};

/** Messages that arrive before anyone listens are kept (like a MessagePort's), up to this many. */
const QUEUE_LIMIT = 256;

function report(error: unknown): void {
  console.error("room: a listener threw", error);
}

/** One end of a relayed link. The room feeds it what arrives and ends it when the peer goes. */
export class RelayLink implements Link {
  readonly #send: (message: unknown) => void;
  readonly #onLocalClose: (reason: string) => void;
  readonly #messageListeners = new Set<(message: unknown) => void>();
  readonly #closeListeners = new Set<(reason: string) => void>();
  #queue: unknown[] | undefined = [];
  #closedWith: string | undefined;

  constructor(send: (message: unknown) => void, onLocalClose: (reason: string) => void) {
    this.#send = send;
    this.#onLocalClose = onLocalClose;
  }

  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** Messages sent after the link closed are dropped, as a terminated Worker's would be. */
  send(message: unknown, _transfer?: Transferable[]): void {
    if (this.#closedWith === undefined) this.#send(message);
  }

  onMessage(listener: (message: unknown) => void): () => void {
    this.#messageListeners.add(listener);
    const queued = this.#queue;
    this.#queue = undefined;
    for (const message of queued ?? []) this.#call(listener, message);
    return () => this.#messageListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    const reason = this.#closedWith;
    if (reason !== undefined) {
      queueMicrotask(() => this.#call(listener, reason));
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  close(reason = "closed"): void {
    if (this.#closedWith !== undefined) return;
    this.end(reason);
    this.#onLocalClose(reason);
  }

  /** @internal a message from the other end */
  deliver(message: unknown): void {
    if (this.#closedWith !== undefined) return;
    if (this.#queue) {
      if (this.#queue.length < QUEUE_LIMIT) this.#queue.push(message);
      return;
    }
    for (const listener of this.#messageListeners) this.#call(listener, message);
  }

  /** @internal the other end, or the connection, went away */
  end(reason: string): void {
    if (this.#closedWith !== undefined) return;
    this.#closedWith = reason;
    this.#queue = undefined;
    const listeners = [...this.#closeListeners];
    this.#closeListeners.clear();
    this.#messageListeners.clear();
    for (const listener of listeners) this.#call(listener, reason);
  }

  #call<T>(listener: (value: T) => void, value: T): void {
    try {
      listener(value);
    } catch (error) {
      report(error);
    }
  }
}

/** Counts the server gone after `deadAfterMs` without a word from it. */
class Watchdog {
  #last = Date.now();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(deadAfterMs: () => number, onSilence: () => void) {
    this.#timer = setInterval(() => {
      if (Date.now() - this.#last > deadAfterMs()) onSilence();
    }, 250);
  }

  heard(): void {
    this.#last = Date.now();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

function sendText(socket: WebSocket, message: MemberControl | PresenterControl): void {
  if (socket.readyState === 1) socket.send(encodeControl(message));
}

function sendFrame(socket: WebSocket, peer: number, message: unknown, limit: number): void {
  const frame = encodeFrame(peer, message);
  if (frame.byteLength > limit) {
    throw new RangeError(
      `message of ${frame.byteLength} bytes, over the room's ${limit}-byte limit`,
    );
  }
  if (socket.readyState === 1) socket.send(frame);
}

// --- the presenter ---------------------------------------------------------------------------

export type RoomUnavailableCause = "absent" | "not-local" | "refused";

/** No room server answered where the page came from, or it would not take this page. */
export class RoomUnavailableError extends Error {
  readonly why: RoomUnavailableCause;

  constructor(why: RoomUnavailableCause, message: string) {
    super(message);
    this.name = "RoomUnavailableError";
    this.why = why;
  }
}

export interface PresenterRoomOptions {
  /** a page served by the room server; `location.href` by default */
  page?: string;
  signal?: AbortSignal;
  createSocket?: SocketFactory;
  fetch?: typeof fetch;
}

/**
 * Connects the presenter's page to the room server that served it. Resolves once the server has
 * welcomed it and sent the roster; rejects with a `RoomUnavailableError` when there is no room.
 */
export async function openPresenterRoom(
  options: PresenterRoomOptions = {},
): Promise<PresenterRoom> {
  const page = options.page ?? location.href;
  const get = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await get(new URL(PRESENTER_INFO_PATH, page), {
      cache: "no-store",
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new RoomUnavailableError(
      "absent",
      "No room server is running: start one with `npm run room`.",
    );
  }
  if (response.status === 403) {
    throw new RoomUnavailableError(
      "not-local",
      "The room only takes a presenter on its own machine: open the deck at the localhost address that `npm run room` printed.",
    );
  }
  const info = response.ok
    ? parsePresenterInfo(await response.json().catch(() => null))
    : undefined;
  if (!info) {
    throw new RoomUnavailableError(
      "absent",
      "This page was not served by a room server: start one with `npm run room` and open the deck at the address it prints.",
    );
  }
  const room = new PresenterRoom(
    (options.createSocket ?? browserSocket)(socketUrl(page, "presenter", info.token)),
    info.joinUrl,
  );
  options.signal?.addEventListener("abort", () => room.close(), { once: true });
  await room.ready;
  return room;
}

export class PresenterRoom {
  /** the URL the QR code carries */
  readonly joinUrl: string;
  readonly ready: Promise<void>;
  readonly roster = new Roster();
  readonly #socket: WebSocket;
  readonly #links = new Map<number, RelayLink>();
  readonly #members = new Map<number, MemberInfo>();
  readonly #memberListeners = new Set<(member: MemberInfo, link: Link) => void>();
  readonly #rosterListeners = new Set<(entries: RosterEntry[]) => void>();
  readonly #closeListeners = new Set<(reason: string) => void>();
  readonly #watchdog: Watchdog;
  #deadAfterMs = DEFAULT_TIMING.deadAfterMs;
  #maxFrameBytes = DEFAULT_LIMITS.presenterFrameBytes;
  #session = 0;
  #closedWith: string | undefined;
  #welcomed: () => void = () => {};
  #failed: (error: Error) => void = () => {};

  constructor(socket: WebSocket, joinUrl: string) {
    this.#socket = socket;
    this.joinUrl = joinUrl;
    socket.binaryType = "arraybuffer";
    this.#watchdog = new Watchdog(
      () => this.#deadAfterMs,
      () => this.#end("the room server stopped answering"),
    );
    this.ready = new Promise((resolve, reject) => {
      this.#welcomed = resolve;
      this.#failed = reject;
    });
    // Whoever constructs a room without awaiting `ready` hears of failure through onClose.
    this.ready.catch(() => {});
    socket.onmessage = (event: MessageEvent) => {
      this.#watchdog.heard();
      if (typeof event.data === "string") {
        const parsed = parseToPresenter(event.data);
        if (!parsed.ok) return console.warn(`room: ignored a server message (${parsed.reason})`);
        this.#event(parsed.message);
        if (parsed.message.k === "roster") this.#welcomed();
      } else {
        const decoded = decodeFrame(event.data as ArrayBuffer, RECEIVE_LIMITS);
        if (!decoded.ok) return console.warn(`room: ignored a frame (${decoded.reason})`);
        this.#links.get(decoded.peer)?.deliver(decoded.message);
      }
    };
    // A failure is followed by a close event, which says more.
    socket.onerror = () => {};
    socket.onclose = (event: CloseEvent) => {
      const reason =
        event.reason || (event.code === 1006 ? "connection lost" : `closed (${event.code})`);
      this.#end(`the room server connection closed: ${reason}`);
    };
  }

  /** which presenter session this is (the server counts them) */
  get session(): number {
    return this.#session;
  }

  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** Calls `listener` for every member here now and each one that joins (or comes back) later. */
  onMember(listener: (member: MemberInfo, link: Link) => void): () => void {
    this.#memberListeners.add(listener);
    for (const [id, link] of this.#links) listener(this.#members.get(id)!, link);
    return () => this.#memberListeners.delete(listener);
  }

  /** Calls `listener` with the roster now and after every change. */
  onRoster(listener: (entries: RosterEntry[]) => void): () => void {
    this.#rosterListeners.add(listener);
    listener(this.roster.entries());
    return () => this.#rosterListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    if (this.#closedWith !== undefined) {
      const reason = this.#closedWith;
      queueMicrotask(() => listener(reason));
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** the link to one member, while it is connected */
  link(id: number): Link | undefined {
    return this.#links.get(id);
  }

  /** Throws a member out and tells the room why (as its link's `close(reason)` does). */
  remove(id: number, reason: string): void {
    this.#links.get(id)?.close(reason);
  }

  close(): void {
    if (this.#closedWith !== undefined) return;
    this.#socket.close(CLOSE.left, "the presenter closed the room page");
    this.#end("the presenter closed the room page");
  }

  dispose(): void {
    this.close();
  }

  #event(event: ToPresenter): void {
    switch (event.k) {
      case "welcome":
        this.#session = event.session;
        this.#deadAfterMs = event.deadAfterMs;
        this.#maxFrameBytes = event.maxFrameBytes;
        break;
      case "beat":
        sendText(this.#socket, { k: "beat" });
        return;
      case "roster":
        for (const member of event.members) this.#join(member);
        break;
      case "joined":
        this.#join(event.member);
        break;
      case "updated":
        this.#members.set(event.member.id, event.member);
        break;
      case "left": {
        const link = this.#links.get(event.id);
        this.#links.delete(event.id);
        this.#members.delete(event.id);
        link?.end(event.reason);
        break;
      }
      case "refused":
        break;
    }
    if (this.roster.apply(event)) {
      const entries = this.roster.entries();
      for (const listener of this.#rosterListeners) listener(entries);
    }
  }

  #join(member: MemberInfo): void {
    this.#links.get(member.id)?.end("reconnected");
    const link = new RelayLink(
      (message) => sendFrame(this.#socket, member.id, message, this.#maxFrameBytes),
      (reason) => {
        if (this.#links.get(member.id) === link) {
          this.#links.delete(member.id);
          this.#members.delete(member.id);
        }
        sendText(this.#socket, { k: "remove", id: member.id, reason: reason.slice(0, 100) });
      },
    );
    this.#links.set(member.id, link);
    this.#members.set(member.id, member);
    for (const listener of this.#memberListeners) {
      try {
        listener(member, link);
      } catch (error) {
        report(error);
      }
    }
  }

  #end(reason: string): void {
    if (this.#closedWith !== undefined) return;
    this.#closedWith = reason;
    this.#failed(new RoomUnavailableError("refused", `No room: ${reason}`));
    this.#watchdog.stop();
    this.#socket.onmessage = null;
    this.#socket.onclose = null;
    if (this.#socket.readyState <= 1) this.#socket.close(CLOSE.left, "presenter gone");
    for (const link of this.#links.values()) link.end(reason);
    this.#links.clear();
    this.#members.clear();
    for (const listener of this.#closeListeners) listener(reason);
    this.#closeListeners.clear();
  }
}

// --- a member ----------------------------------------------------------------------------------

export type MemberPhase = "connecting" | "joined" | "reconnecting" | "closed";

export interface MemberStatus {
  phase: MemberPhase;
  /** the member id the room gave this device, once joined */
  id: number | null;
  /** a presenter's page is connected: a link to it is open */
  presenter: boolean;
  /** why the phase changed: what to tell the person holding the device */
  reason: string;
  /** when closed: the WebSocket close code, or 0 when no server answered at all */
  code: number | null;
}

export interface MemberRoomOptions {
  /** a page served by the room server (its origin is the room's); `location.href` by default */
  page?: string;
  token: string;
  device: DeviceInfo;
  signal?: AbortSignal;
  createSocket?: SocketFactory;
  /** how long to keep trying to come back after the connection drops */
  reconnectForMs?: number;
}

/** Waits between attempts to come back: quick at first (a Wi-Fi blip), then every few seconds. */
const RETRY_DELAYS_MS = [200, 500, 1000, 2000, 3000];

/** What the room said when it closed for good, in words for the person holding the device. */
function finalReason(code: number, reason: string): string {
  switch (code) {
    case CLOSE.wrongToken:
      return "This join link is not for the room that is open now. Scan the QR code on the slide again.";
    case CLOSE.full:
      return "The room is full.";
    case CLOSE.serverClosing:
      return "The presenter closed the room.";
    case CLOSE.tooLarge:
      return "This device sent a message larger than the room allows, and was disconnected.";
    default:
      return reason || `The room closed the connection (${code}).`;
  }
}

export function joinRoom(options: MemberRoomOptions): MemberRoom {
  return new MemberRoom(options);
}

export class MemberRoom {
  readonly #options: MemberRoomOptions;
  readonly #url: string;
  readonly #create: SocketFactory;
  readonly #statusListeners = new Set<(status: MemberStatus) => void>();
  readonly #linkListeners = new Set<(link: Link) => void>();
  #status: MemberStatus = {
    phase: "connecting",
    id: null,
    presenter: false,
    reason: "",
    code: null,
  };
  #device: DeviceInfo;
  #socket: WebSocket | undefined;
  #watchdog: Watchdog | undefined;
  #link: RelayLink | undefined;
  #session: number | null = null;
  #resume: string | undefined;
  #deadAfterMs = DEFAULT_TIMING.deadAfterMs;
  #maxFrameBytes = DEFAULT_LIMITS.memberFrameBytes;
  #lostAt = 0;
  #attempt = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #leaving = false;

  constructor(options: MemberRoomOptions) {
    this.#options = options;
    this.#device = options.device;
    this.#url = socketUrl(options.page ?? location.href, "member", options.token);
    this.#create = options.createSocket ?? browserSocket;
    options.signal?.addEventListener("abort", () => this.leave("stopped"), { once: true });
    this.#connect();
  }

  get status(): MemberStatus {
    return this.#status;
  }

  /** Calls `listener` with the status now and after every change. */
  onStatus(listener: (status: MemberStatus) => void): () => void {
    this.#statusListeners.add(listener);
    listener(this.#status);
    return () => this.#statusListeners.delete(listener);
  }

  /** Calls `listener` with the link to the presenter now (if open) and each new one later. */
  onLink(listener: (link: Link) => void): () => void {
    this.#linkListeners.add(listener);
    if (this.#link && !this.#link.closed) listener(this.#link);
    return () => this.#linkListeners.delete(listener);
  }

  /** Tells the presenter what changed about this device (its backend, once known). */
  updateDevice(device: DeviceInfo): void {
    this.#device = device;
    if (this.#socket && this.#status.phase === "joined") {
      sendText(this.#socket, { k: "device", device });
    }
  }

  /** Leaves the room for good: the presenter hears it at once. */
  leave(reason = "left"): void {
    if (this.#leaving) return;
    this.#leaving = true;
    clearTimeout(this.#retry);
    const socket = this.#socket;
    this.#detach();
    if (socket && socket.readyState <= 1) socket.close(CLOSE.left, reason.slice(0, 60));
    this.#endLink(reason);
    this.#set({
      phase: "closed",
      presenter: false,
      reason: "You left the room.",
      code: CLOSE.left,
    });
  }

  dispose(): void {
    this.leave("stopped");
  }

  #connect(): void {
    const socket = this.#create(this.#url);
    socket.binaryType = "arraybuffer";
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      const resume = this.#resume ? { resume: this.#resume } : {};
      sendText(socket, { k: "hello", v: PROTOCOL_VERSION, device: this.#device, ...resume });
    };
    socket.onmessage = (event: MessageEvent) => {
      this.#watchdog?.heard();
      if (typeof event.data === "string") this.#control(socket, event.data);
      else this.#frame(event.data as ArrayBuffer);
    };
    socket.onerror = () => {};
    socket.onclose = (event: CloseEvent) => this.#lost(opened, event.code, event.reason);
    this.#watchdog?.stop();
    this.#watchdog = new Watchdog(
      () => this.#deadAfterMs,
      () => {
        socket.close(4000, "silent server");
        this.#lost(opened, 4000, "the room server stopped answering");
      },
    );
  }

  #control(socket: WebSocket, data: string): void {
    const parsed = parseToMember(data);
    if (!parsed.ok) return console.warn(`room: ignored a server message (${parsed.reason})`);
    const message = parsed.message;
    switch (message.k) {
      case "beat":
        sendText(socket, { k: "beat" });
        return;
      case "welcome":
        this.#resume = message.resume;
        this.#deadAfterMs = message.deadAfterMs;
        this.#maxFrameBytes = message.maxFrameBytes;
        this.#attempt = 0;
        this.#set({ phase: "joined", id: message.id, reason: "", code: null });
        return;
      case "presenter":
        if (message.session === this.#session && this.#link && !this.#link.closed) return;
        this.#endLink(
          message.session === null ? "the presenter left" : "the presenter reconnected",
        );
        this.#session = message.session;
        if (message.session !== null) this.#openLink();
        this.#set({ presenter: message.session !== null });
        return;
    }
  }

  #frame(data: ArrayBuffer): void {
    const decoded = decodeFrame(data, RECEIVE_LIMITS);
    if (!decoded.ok) return console.warn(`room: ignored a frame (${decoded.reason})`);
    if (decoded.peer === this.#status.id) this.#link?.deliver(decoded.message);
  }

  #openLink(): void {
    const link = new RelayLink(
      (message) => {
        if (this.#socket) sendFrame(this.#socket, 0, message, this.#maxFrameBytes);
      },
      (reason) => this.leave(reason),
    );
    this.#link = link;
    for (const listener of this.#linkListeners) {
      try {
        listener(link);
      } catch (error) {
        report(error);
      }
    }
  }

  #endLink(reason: string): void {
    const link = this.#link;
    this.#link = undefined;
    this.#session = null;
    link?.end(reason);
  }

  #detach(): void {
    this.#watchdog?.stop();
    this.#watchdog = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      // still listening for errors: a socket being closed may report one yet
      socket.onerror = () => {};
    }
  }

  #lost(opened: boolean, code: number, reason: string): void {
    if (this.#leaving) return;
    const joinedBefore = this.#resume !== undefined;
    this.#detach();
    this.#endLink("connection lost");
    if (FINAL_CLOSE_CODES.has(code)) {
      this.#set({ phase: "closed", presenter: false, reason: finalReason(code, reason), code });
      return;
    }
    if (!joinedBefore) {
      this.#set({
        phase: "closed",
        presenter: false,
        code: opened ? code : 0,
        reason: opened
          ? finalReason(code, reason)
          : `No room server answered at ${new URL(this.#url).host}. The presenter starts one with \`npm run room\`; this device must be on the same network.`,
      });
      return;
    }
    const now = Date.now();
    if (this.#status.phase === "joined") this.#lostAt = now;
    if (now - this.#lostAt > (this.#options.reconnectForMs ?? 30_000)) {
      this.#set({
        phase: "closed",
        presenter: false,
        code,
        reason: "Lost the room: no answer from its server for a while.",
      });
      return;
    }
    const delay = RETRY_DELAYS_MS[Math.min(this.#attempt++, RETRY_DELAYS_MS.length - 1)]!;
    this.#set({
      phase: "reconnecting",
      presenter: false,
      reason: reason || "connection lost",
      code,
    });
    this.#retry = setTimeout(() => this.#connect(), delay);
  }

  #set(change: Partial<MemberStatus>): void {
    this.#status = { ...this.#status, ...change };
    for (const listener of this.#statusListeners) {
      try {
        listener(this.#status);
      } catch (error) {
        report(error);
      }
    }
  }
}
