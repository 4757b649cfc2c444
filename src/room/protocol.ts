/**
 * The room's wire protocol, shared by the Node server (tools/room) and the pages (presenter and
 * members). Two kinds of WebSocket frame:
 *
 * - text frames carry small JSON control messages, `{ "k": kind, … }`, one shape per kind;
 * - binary frames carry training payloads (see framing.ts): opaque to the server apart from their
 *   envelope, relayed between the presenter and one member, addressed by member id.
 *
 * Whoever receives a message validates it here before use: every parser returns either the
 * message or a short reason, and never throws on bad input. Gradient-level checks (NaN, shape,
 * norm) are the training coordinator's; this module checks the envelope only.
 */
import {
  boolean,
  integer,
  list,
  literal,
  nullable,
  object,
  oneOf,
  text,
  type Check,
} from "./shape.ts";
import { isRecord } from "./shape.ts";
import { isWellFormedToken } from "./token.ts";

export const PROTOCOL_VERSION = 1;
/** where pages open their WebSocket, on the room server's origin */
export const SOCKET_PATH = "/room/ws";
/** where the presenter's page fetches its token: answered on loopback only */
export const PRESENTER_INFO_PATH = "/room/presenter";

export interface RoomLimits {
  /** the largest text (control) message, in bytes */
  controlBytes: number;
  /** the largest JSON header of a binary frame, in bytes */
  headerBytes: number;
  /** the largest binary frame a member may send (a gradient), in bytes */
  memberFrameBytes: number;
  /** the largest binary frame the presenter may send (parameters), in bytes */
  presenterFrameBytes: number;
  /** a member's sustained message rate, and the burst it may spend at once */
  memberMessagesPerSecond: number;
  memberMessageBurst: number;
  /** a member's sustained bytes per second, and its burst */
  memberBytesPerSecond: number;
  memberByteBurst: number;
  /** members at once; further devices are refused */
  maxMembers: number;
  /** bytes queued towards one member before it counts as too slow to keep */
  memberBacklogBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: RoomLimits = {
  controlBytes: 2048,
  headerBytes: 16 * 1024,
  memberFrameBytes: 4 * MiB,
  presenterFrameBytes: 32 * MiB,
  memberMessagesPerSecond: 200,
  memberMessageBurst: 400,
  memberBytesPerSecond: 8 * MiB,
  memberByteBurst: 16 * MiB,
  maxMembers: 64,
  memberBacklogBytes: 16 * MiB,
};

export interface RoomTiming {
  /** how often the server sends a beat to each page; pages answer each one */
  heartbeatMs: number;
  /** silence after which either side counts the other as gone */
  deadAfterMs: number;
  /** a member must say hello within this long of connecting */
  helloTimeoutMs: number;
  /** how long a member that dropped may come back as itself */
  resumeGraceMs: number;
}

export const DEFAULT_TIMING: RoomTiming = {
  heartbeatMs: 1000,
  deadAfterMs: 3500,
  helloTimeoutMs: 5000,
  resumeGraceMs: 60_000,
};

/** WebSocket close codes (4000–4999 are the application's); the reason says more. */
export const CLOSE = {
  /** the page left on purpose (tab closed, leave button) */
  left: 1000,
  /** ws's own: a message over `maxPayload` */
  tooLarge: 1009,
  wrongToken: 4001,
  protocol: 4002,
  flooding: 4003,
  timedOut: 4004,
  removed: 4005,
  full: 4006,
  replaced: 4007,
  tooSlow: 4008,
  serverClosing: 4009,
  notResumable: 4010,
} as const;

/** Close codes after which a member must not reconnect by itself. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE.left,
  CLOSE.tooLarge,
  CLOSE.wrongToken,
  CLOSE.protocol,
  CLOSE.flooding,
  CLOSE.removed,
  CLOSE.full,
  CLOSE.replaced,
  CLOSE.tooSlow,
  CLOSE.serverClosing,
]);

// --- tokens ---------------------------------------------------------------------------------

export { isWellFormedToken, tokenFromHash, TOKEN_LENGTH } from "./token.ts";
export function joinUrl(origin: string, token: string): string {
  return `${origin.replace(/\/$/, "")}/join.html#t=${token}`;
}

/** The WebSocket URL of the room that served `page`, for one role, carrying its token. */
export function socketUrl(page: string, role: "member" | "presenter", token: string): string {
  const url = new URL(SOCKET_PATH, page);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.hash = "";
  url.search = new URLSearchParams({ role, token }).toString();
  return url.href;
}

/** What the presenter's page gets from `PRESENTER_INFO_PATH`. */
export interface PresenterInfo {
  token: string;
  joinUrl: string;
  socketPath: string;
}

export function parsePresenterInfo(value: unknown): PresenterInfo | undefined {
  if (!isRecord(value) || !isWellFormedToken(value.token)) return undefined;
  if (typeof value.joinUrl !== "string" || typeof value.socketPath !== "string") return undefined;
  return { token: value.token, joinUrl: value.joinUrl, socketPath: value.socketPath };
}

// --- messages -------------------------------------------------------------------------------

export const DEVICE_KINDS = ["phone", "tablet", "computer", "unknown"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** What a member says about itself; shown on the presenter's roster, as text only. */
export interface DeviceInfo {
  /** e.g. "Android phone · Chrome"; derived from the user agent, never typed by a person */
  name: string;
  kind: DeviceKind;
  /** what computes there: "js" for plain typed arrays, or a TensorFlow.js backend */
  backend: string;
  /** `navigator.hardwareConcurrency`, where the browser tells */
  cores: number | null;
}

export const NAME_MAX = 40;
export const BACKEND_MAX = 16;
export const REASON_MAX = 120;

export const LEAVE_KINDS = ["left", "lost", "rejected"] as const;
export type LeaveKind = (typeof LEAVE_KINDS)[number];

export interface MemberInfo {
  id: number;
  device: DeviceInfo;
  /** milliseconds since the room started */
  joinedAt: number;
  /** came back after a dropped connection, as the same member */
  resumed: boolean;
}

/** member → server */
export type MemberControl =
  /** `resume`: the secret of a welcome before a dropped connection, to come back as that member */
  | { k: "hello"; v: number; device: DeviceInfo; resume?: string }
  | { k: "device"; device: DeviceInfo }
  | { k: "beat" };

/** presenter → server */
export type PresenterControl =
  | { k: "beat" }
  /** drop a member and say why (a coordinator rejected its gradients, say) */
  | { k: "remove"; id: number; reason: string };

/** server → member */
export type ToMember =
  | {
      k: "welcome";
      id: number;
      /** the secret to present when reconnecting as this member */
      resume: string;
      heartbeatMs: number;
      deadAfterMs: number;
      maxFrameBytes: number;
    }
  /** the presenter's session that the member's link now belongs to; null when none is connected */
  | { k: "presenter"; session: number | null }
  | { k: "beat" };

/** server → presenter */
export type ToPresenter =
  | {
      k: "welcome";
      session: number;
      joinUrl: string;
      heartbeatMs: number;
      deadAfterMs: number;
      maxFrameBytes: number;
    }
  /** the members present when the presenter connected */
  | { k: "roster"; members: MemberInfo[] }
  | { k: "joined"; member: MemberInfo }
  | { k: "updated"; member: MemberInfo }
  /**
   * a member is gone: it said goodbye ("left"), its connection dropped or fell silent ("lost": it
   * may come back as itself), or the server or the presenter threw it out ("rejected")
   */
  | { k: "left"; id: number; reason: string; how: LeaveKind }
  /** a connection refused before it became a member (wrong token, room full); `count` so far */
  | { k: "refused"; reason: string; count: number }
  | { k: "beat" };

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

const device = object({
  name: text(NAME_MAX, { minLength: 1 }),
  kind: oneOf(DEVICE_KINDS),
  backend: text(BACKEND_MAX, { minLength: 1 }),
  cores: nullable(integer(1, 1024)),
});

const memberId = integer(1, 0xffff_ffff);
const reason = text(REASON_MAX);
const count = integer(0, Number.MAX_SAFE_INTEGER);
const ms = integer(1, 3_600_000);

const memberInfo = object({
  id: memberId,
  device,
  joinedAt: count,
  resumed: boolean(),
});

const MEMBER_CONTROL: Record<MemberControl["k"], Check> = {
  hello: object(
    { k: literal("hello"), v: integer(1, 1000), device },
    { resume: text(64, { minLength: 1 }) },
  ),
  device: object({ k: literal("device"), device }),
  beat: object({ k: literal("beat") }),
};

const PRESENTER_CONTROL: Record<PresenterControl["k"], Check> = {
  beat: object({ k: literal("beat") }),
  remove: object({ k: literal("remove"), id: memberId, reason }),
};

const TO_MEMBER: Record<ToMember["k"], Check> = {
  welcome: object({
    k: literal("welcome"),
    id: memberId,
    resume: text(64, { minLength: 1 }),
    heartbeatMs: ms,
    deadAfterMs: ms,
    maxFrameBytes: count,
  }),
  presenter: object({ k: literal("presenter"), session: nullable(count) }),
  beat: object({ k: literal("beat") }),
};

const TO_PRESENTER: Record<ToPresenter["k"], Check> = {
  welcome: object({
    k: literal("welcome"),
    session: count,
    joinUrl: text(2048),
    heartbeatMs: ms,
    deadAfterMs: ms,
    maxFrameBytes: count,
  }),
  roster: object({ k: literal("roster"), members: list(memberInfo, 4096) }),
  joined: object({ k: literal("joined"), member: memberInfo }),
  updated: object({ k: literal("updated"), member: memberInfo }),
  left: object({ k: literal("left"), id: memberId, reason, how: oneOf(LEAVE_KINDS) }),
  refused: object({ k: literal("refused"), reason, count }),
  beat: object({ k: literal("beat") }),
};

/** UTF-8 length without allocating: what the limit is about is bytes on the wire. */
export function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function parseControl<T>(data: string, maxBytes: number, shapes: Record<string, Check>): Parsed<T> {
  // Characters never outnumber bytes: a string this long is over the limit without counting.
  if (data.length > maxBytes || utf8Length(data) > maxBytes) {
    return { ok: false, reason: `text message over the ${maxBytes}-byte limit` };
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, reason: "text message is not JSON" };
  }
  if (!isRecord(value)) return { ok: false, reason: "text message is not a JSON object" };
  const kind = value.k;
  if (typeof kind !== "string") return { ok: false, reason: 'message has no kind ("k")' };
  const shape = Object.hasOwn(shapes, kind) ? shapes[kind] : undefined;
  if (!shape) return { ok: false, reason: `unknown message kind "${kind.slice(0, 24)}"` };
  const problem = shape(value, kind);
  return problem ? { ok: false, reason: problem } : { ok: true, message: value as T };
}

export function parseMemberControl(data: string, limits = DEFAULT_LIMITS): Parsed<MemberControl> {
  return parseControl(data, limits.controlBytes, MEMBER_CONTROL);
}

export function parsePresenterControl(
  data: string,
  limits = DEFAULT_LIMITS,
): Parsed<PresenterControl> {
  return parseControl(data, limits.controlBytes, PRESENTER_CONTROL);
}

/** What the server sends is checked too: the page may have been served by something else. */
export function parseToMember(data: string): Parsed<ToMember> {
  return parseControl(data, 64 * 1024, TO_MEMBER);
}

export function parseToPresenter(data: string): Parsed<ToPresenter> {
  return parseControl(data, 4 * MiB, TO_PRESENTER);
}

export function encodeControl(
  message: MemberControl | PresenterControl | ToMember | ToPresenter,
): string {
  return JSON.stringify(message);
}
