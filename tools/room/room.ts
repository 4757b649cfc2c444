/**
 * The room: who is connected, and the relay between the presenter's page and the members.
 * It validates every envelope (text messages against the protocol, binary frames' headers),
 * limits sizes and rates, notices silence by heartbeats, and throws out a misbehaving member,
 * telling the presenter why. Training payloads themselves pass through unread.
 */
import type { WebSocket } from "ws";
import {
  CLOSE,
  encodeControl,
  parseMemberControl,
  parsePresenterControl,
  REASON_MAX,
  type DeviceInfo,
  type MemberInfo,
  type RoomLimits,
  type RoomTiming,
  type ToMember,
  type ToPresenter,
} from "../../src/room/protocol.ts";
import { inspectFrame, setFramePeer } from "../../src/room/framing.ts";
import { FloodGuard } from "../../src/room/rate-limit.ts";
import { hasUnprintable } from "../../src/room/shape.ts";
import { newToken, sameToken } from "./tokens.ts";

export interface RoomOptions {
  joinUrl: string;
  limits: RoomLimits;
  timing: RoomTiming;
  /** one line per event worth telling the person running the server */
  log?: (line: string) => void;
}

interface Member {
  id: number;
  resume: string;
  device: DeviceInfo;
  joinedAt: number;
  resumed: boolean;
  connection: MemberConnection | undefined;
  /** while away: when the chance to come back as this member ends */
  expiry: ReturnType<typeof setTimeout> | undefined;
}

interface Connection {
  socket: WebSocket;
  lastHeard: number;
  /** set once the room has dealt with this connection's end; later events are ignored */
  ended: boolean;
  /** what ws reported before closing (oversize, broken framing) */
  error: string | undefined;
}

interface MemberConnection extends Connection {
  guard: FloodGuard;
  member: Member | undefined;
  helloTimer: ReturnType<typeof setTimeout> | undefined;
}

interface PresenterConnection extends Connection {
  session: number;
}

type RawData = Buffer | ArrayBuffer | Buffer[];

const asBuffer = (data: RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/** A WebSocket close reason is at most 123 bytes. */
function closeReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -2) + "…";
  return out;
}

function shortReason(reason: string): string {
  return reason.length > REASON_MAX ? reason.slice(0, REASON_MAX - 1) + "…" : reason;
}

/** What ws says when it closes a connection itself, in the room's words. */
function describeSocketError(error: Error & { code?: string }, limit: number): string {
  switch (error.code) {
    case "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH":
      return `message over the ${limit}-byte limit`;
    case "WS_ERR_INVALID_UTF8":
      return "text message is not UTF-8";
    default:
      return "broken WebSocket framing";
  }
}

export interface RoomSnapshot {
  members: MemberInfo[];
  /** members whose connection dropped, who may still come back */
  away: number[];
  refused: number;
  relayed: number;
  dropped: number;
  presenter: boolean;
}

export class Room {
  readonly #options: RoomOptions;
  readonly #members = new Map<number, Member>();
  readonly #connections = new Set<MemberConnection>();
  readonly #started = Date.now();
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #presenter: PresenterConnection | undefined;
  #nextId = 1;
  #session = 0;
  #refused = 0;
  #relayed = 0;
  #dropped = 0;
  #closed = false;

  constructor(options: RoomOptions) {
    this.#options = options;
    this.#heartbeat = setInterval(() => this.#beat(), options.timing.heartbeatMs);
  }

  snapshot(): RoomSnapshot {
    const members = [...this.#members.values()];
    return {
      members: members.filter((m) => m.connection).map((m) => this.#info(m)),
      away: members.filter((m) => !m.connection).map((m) => m.id),
      refused: this.#refused,
      relayed: this.#relayed,
      dropped: this.#dropped,
      presenter: !!this.#presenter,
    };
  }

  // --- connections arriving ------------------------------------------------------------------

  /** A device the server turned away before it became a member: it hears why, then goes. */
  refuse(socket: WebSocket, code: number, reason: string): void {
    this.#refused++;
    socket.close(code, closeReason(reason));
    this.#log(`! refused a device: ${reason}`);
    this.#toPresenter({ k: "refused", reason: shortReason(reason), count: this.#refused });
  }

  acceptMember(socket: WebSocket): void {
    if (this.#closed) return socket.close(CLOSE.serverClosing, "the room is closed");
    const connection: MemberConnection = {
      socket,
      lastHeard: Date.now(),
      ended: false,
      error: undefined,
      guard: new FloodGuard(
        {
          messagesPerSecond: this.#options.limits.memberMessagesPerSecond,
          messageBurst: this.#options.limits.memberMessageBurst,
          bytesPerSecond: this.#options.limits.memberBytesPerSecond,
          byteBurst: this.#options.limits.memberByteBurst,
        },
        Date.now(),
      ),
      member: undefined,
      helloTimer: undefined,
    };
    this.#connections.add(connection);
    const seconds = this.#options.timing.helloTimeoutMs / 1000;
    connection.helloTimer = setTimeout(
      () => this.#reject(connection, CLOSE.protocol, `said no hello within ${seconds} s`),
      this.#options.timing.helloTimeoutMs,
    );
    socket.on("message", (data: RawData, isBinary: boolean) =>
      this.#fromMember(connection, asBuffer(data), isBinary),
    );
    socket.on("error", (error) => {
      connection.error = describeSocketError(error, this.#options.limits.memberFrameBytes);
    });
    socket.on("close", (code: number, reason: Buffer) =>
      this.#memberClosed(connection, code, reason.toString()),
    );
  }

  acceptPresenter(socket: WebSocket): void {
    if (this.#closed) return socket.close(CLOSE.serverClosing, "the room is closed");
    const previous = this.#presenter;
    if (previous) {
      previous.ended = true;
      previous.socket.close(CLOSE.replaced, "another presenter page connected");
    }
    const presenter: PresenterConnection = {
      socket,
      lastHeard: Date.now(),
      ended: false,
      error: undefined,
      session: ++this.#session,
    };
    this.#presenter = presenter;
    socket.on("message", (data: RawData, isBinary: boolean) =>
      this.#fromPresenter(presenter, asBuffer(data), isBinary),
    );
    socket.on("error", (error) => {
      presenter.error = describeSocketError(error, this.#options.limits.presenterFrameBytes);
    });
    socket.on("close", () => this.#presenterGone(presenter));
    const { heartbeatMs, deadAfterMs } = this.#options.timing;
    this.#send(socket, {
      k: "welcome",
      session: presenter.session,
      joinUrl: this.#options.joinUrl,
      heartbeatMs,
      deadAfterMs,
      maxFrameBytes: this.#options.limits.presenterFrameBytes,
    });
    const present = [...this.#members.values()].filter((m) => m.connection);
    this.#send(socket, { k: "roster", members: present.map((m) => this.#info(m)) });
    for (const member of present) {
      this.#send(member.connection!.socket, { k: "presenter", session: presenter.session });
    }
    this.#log(`presenter connected (session ${presenter.session})`);
  }

  // --- members ---------------------------------------------------------------------------------

  #fromMember(connection: MemberConnection, data: Buffer, isBinary: boolean): void {
    if (connection.ended) return;
    const now = Date.now();
    const flooding = connection.guard.admit(data.length, now);
    if (flooding) return this.#reject(connection, CLOSE.flooding, flooding);
    connection.lastHeard = now;
    const { limits } = this.#options;

    if (isBinary) {
      const member = connection.member;
      if (!member) return this.#reject(connection, CLOSE.protocol, "binary frame before hello");
      const inspected = inspectFrame(data, {
        maxFrameBytes: limits.memberFrameBytes,
        maxHeaderBytes: limits.headerBytes,
      });
      if (!inspected.ok) return this.#reject(connection, CLOSE.protocol, inspected.reason);
      setFramePeer(data, member.id);
      const presenter = this.#presenter;
      if (!presenter) {
        this.#dropped++;
        return;
      }
      this.#relayed++;
      presenter.socket.send(data);
      return;
    }

    // Sized before decoding: a megabyte of text is refused without being parsed.
    if (data.length > limits.controlBytes) {
      return this.#reject(
        connection,
        CLOSE.protocol,
        `text message of ${data.length} bytes, over the ${limits.controlBytes}-byte limit`,
      );
    }
    const parsed = parseMemberControl(data.toString("utf8"), limits);
    if (!parsed.ok) return this.#reject(connection, CLOSE.protocol, parsed.reason);
    const message = parsed.message;
    switch (message.k) {
      case "beat":
        return;
      case "hello":
        if (connection.member) return this.#reject(connection, CLOSE.protocol, "said hello twice");
        return this.#hello(connection, message.device, message.resume);
      case "device": {
        const member = connection.member;
        if (!member) return this.#reject(connection, CLOSE.protocol, "device update before hello");
        member.device = message.device;
        this.#toPresenter({ k: "updated", member: this.#info(member) });
        return;
      }
    }
  }

  #hello(connection: MemberConnection, device: DeviceInfo, resume: string | undefined): void {
    clearTimeout(connection.helloTimer);
    let member = resume
      ? [...this.#members.values()].find((m) => sameToken(m.resume, resume))
      : undefined;
    if (member) {
      clearTimeout(member.expiry);
      member.expiry = undefined;
      const stale = member.connection;
      if (stale) {
        // The old connection is half-open (its phone moved on): this one replaces it.
        stale.ended = true;
        this.#connections.delete(stale);
        stale.socket.close(CLOSE.replaced, "replaced by a newer connection");
        this.#toPresenter({ k: "left", id: member.id, reason: "reconnected", how: "lost" });
      }
      member.device = device;
      member.resumed = true;
    } else {
      if (this.#members.size >= this.#options.limits.maxMembers) {
        connection.ended = true;
        clearTimeout(connection.helloTimer);
        this.#connections.delete(connection);
        this.refuse(connection.socket, CLOSE.full, `the room is full (${this.#members.size})`);
        return;
      }
      member = {
        id: this.#nextId++,
        resume: newToken(),
        device,
        joinedAt: Date.now() - this.#started,
        resumed: false,
        connection: undefined,
        expiry: undefined,
      };
      this.#members.set(member.id, member);
    }
    member.connection = connection;
    connection.member = member;
    const { heartbeatMs, deadAfterMs } = this.#options.timing;
    this.#send(connection.socket, {
      k: "welcome",
      id: member.id,
      resume: member.resume,
      heartbeatMs,
      deadAfterMs,
      maxFrameBytes: this.#options.limits.memberFrameBytes,
    });
    this.#send(connection.socket, { k: "presenter", session: this.#presenter?.session ?? null });
    this.#toPresenter({ k: "joined", member: this.#info(member) });
    const { name, kind, backend, cores } = device;
    const detail = [kind, cores ? `${cores} cores` : "", backend].filter(Boolean).join(", ");
    this.#log(`+ #${member.id} ${name} (${detail})${member.resumed ? ", back" : ""}`);
  }

  #memberClosed(connection: MemberConnection, code: number, reason: string): void {
    clearTimeout(connection.helloTimer);
    this.#connections.delete(connection);
    if (connection.ended) return;
    connection.ended = true;
    const member = connection.member;
    if (connection.error) return this.#rejected(member, connection.error);
    if (!member) return;
    if (code === CLOSE.left || code === 1001) {
      // Shown to the presenter as text: only a plain, short reason of the member's own.
      const said = reason && reason.length <= 60 && !hasUnprintable(reason) ? reason : "";
      this.#gone(member, said ? `left: ${said}` : "left");
    } else {
      this.#away(member, "connection lost");
    }
  }

  /** The member broke a rule: it is told why, disconnected and forgotten (no coming back as it). */
  #reject(connection: MemberConnection, code: number, reason: string): void {
    if (connection.ended) return;
    connection.ended = true;
    clearTimeout(connection.helloTimer);
    this.#connections.delete(connection);
    connection.socket.close(code, closeReason(reason));
    this.#rejected(connection.member, reason);
  }

  #rejected(member: Member | undefined, reason: string): void {
    if (!member) {
      // Misbehaved before saying hello: counted among the refused.
      this.#refused++;
      this.#log(`! refused a device: ${reason}`);
      this.#toPresenter({ k: "refused", reason: shortReason(reason), count: this.#refused });
      return;
    }
    this.#forget(member);
    this.#log(`x #${member.id} rejected: ${reason}`);
    this.#toPresenter({ k: "left", id: member.id, reason: shortReason(reason), how: "rejected" });
  }

  #gone(member: Member, reason: string): void {
    this.#forget(member);
    this.#log(`- #${member.id} ${reason}`);
    this.#toPresenter({ k: "left", id: member.id, reason, how: "left" });
  }

  /** The connection dropped without a goodbye: the member may come back as itself for a while. */
  #away(member: Member, reason: string): void {
    member.connection = undefined;
    clearTimeout(member.expiry);
    member.expiry = setTimeout(() => this.#forget(member), this.#options.timing.resumeGraceMs);
    this.#log(`- #${member.id} ${reason}`);
    this.#toPresenter({ k: "left", id: member.id, reason, how: "lost" });
  }

  #forget(member: Member): void {
    clearTimeout(member.expiry);
    member.connection = undefined;
    this.#members.delete(member.id);
  }

  // --- the presenter ---------------------------------------------------------------------------

  #fromPresenter(presenter: PresenterConnection, data: Buffer, isBinary: boolean): void {
    if (presenter.ended) return;
    presenter.lastHeard = Date.now();
    const { limits } = this.#options;
    if (isBinary) {
      const inspected = inspectFrame(data, {
        maxFrameBytes: limits.presenterFrameBytes,
        maxHeaderBytes: limits.headerBytes,
      });
      if (!inspected.ok) return this.#presenterFault(presenter, inspected.reason);
      const connection = this.#members.get(inspected.frame.peer)?.connection;
      if (!connection) {
        this.#dropped++; // the member left meanwhile: its link has closed on the presenter's side
        return;
      }
      if (connection.socket.bufferedAmount > limits.memberBacklogBytes) {
        const mib = (connection.socket.bufferedAmount / 2 ** 20).toFixed(1);
        return this.#reject(connection, CLOSE.tooSlow, `too slow: ${mib} MiB waiting to be sent`);
      }
      this.#relayed++;
      connection.socket.send(data);
      return;
    }
    const parsed = parsePresenterControl(data.toString("utf8"), limits);
    if (!parsed.ok) return this.#presenterFault(presenter, parsed.reason);
    const message = parsed.message;
    if (message.k === "remove") {
      const connection = this.#members.get(message.id)?.connection;
      if (connection) {
        this.#reject(connection, CLOSE.removed, `removed by the presenter: ${message.reason}`);
      }
    }
  }

  /** The presenter's page is trusted but not infallible: a malformed message is its bug. */
  #presenterFault(presenter: PresenterConnection, reason: string): void {
    this.#log(`presenter sent a bad message (${reason}): disconnecting it`);
    presenter.socket.close(CLOSE.protocol, closeReason(reason));
    this.#presenterGone(presenter);
  }

  #presenterGone(presenter: PresenterConnection): void {
    if (presenter.ended) return;
    presenter.ended = true;
    if (this.#presenter !== presenter) return;
    this.#presenter = undefined;
    this.#log("presenter disconnected");
    for (const member of this.#members.values()) {
      if (member.connection)
        this.#send(member.connection.socket, { k: "presenter", session: null });
    }
  }

  // --- heartbeats --------------------------------------------------------------------------------

  #beat(): void {
    const now = Date.now();
    const { deadAfterMs } = this.#options.timing;
    const silent = `timed out: nothing heard for ${(deadAfterMs / 1000).toFixed(1)} s`;
    for (const connection of [...this.#connections]) {
      if (!connection.member) continue; // the hello timer deals with these
      if (now - connection.lastHeard > deadAfterMs) {
        connection.ended = true;
        this.#connections.delete(connection);
        connection.socket.terminate();
        this.#away(connection.member, silent);
      } else {
        this.#send(connection.socket, { k: "beat" });
      }
    }
    const presenter = this.#presenter;
    if (presenter && now - presenter.lastHeard > deadAfterMs) {
      presenter.socket.terminate();
      this.#presenterGone(presenter);
    } else if (presenter) {
      this.#send(presenter.socket, { k: "beat" });
    }
  }

  // --- plumbing ----------------------------------------------------------------------------------

  #info(member: Member): MemberInfo {
    return {
      id: member.id,
      device: member.device,
      joinedAt: member.joinedAt,
      resumed: member.resumed,
    };
  }

  #send(socket: WebSocket, message: ToMember | ToPresenter): void {
    if (socket.readyState === socket.OPEN) socket.send(encodeControl(message));
  }

  #toPresenter(message: ToPresenter): void {
    if (this.#presenter) this.#send(this.#presenter.socket, message);
  }

  #log(line: string): void {
    this.#options.log?.(line);
  }

  /** Ends every connection (each told the room closed) and stops the heartbeat. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    const sockets: WebSocket[] = [];
    for (const connection of this.#connections) {
      connection.ended = true;
      clearTimeout(connection.helloTimer);
      sockets.push(connection.socket);
    }
    for (const member of this.#members.values()) clearTimeout(member.expiry);
    this.#connections.clear();
    this.#members.clear();
    if (this.#presenter) {
      this.#presenter.ended = true;
      sockets.push(this.#presenter.socket);
      this.#presenter = undefined;
    }
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            const force = setTimeout(() => socket.terminate(), 1000);
            socket.once("close", () => {
              clearTimeout(force);
              resolve();
            });
            socket.close(CLOSE.serverClosing, "the room closed");
          }),
      ),
    );
  }
}
