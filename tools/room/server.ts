/**
 * The room server: one HTTP server that serves the built site to the local network, answers the
 * presenter's page (on this machine only) with its token, and upgrades `/room/ws` to WebSockets
 * for the presenter and the members. Nothing here reaches the internet.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import {
  CLOSE,
  DEFAULT_LIMITS,
  DEFAULT_TIMING,
  joinUrl as joinUrlFor,
  PRESENTER_INFO_PATH,
  SOCKET_PATH,
  type PresenterInfo,
  type RoomLimits,
  type RoomTiming,
} from "../../src/room/protocol.ts";
import { TokenBucket } from "../../src/room/rate-limit.ts";
import { isLoopbackAddress, isLoopbackHost, lanAddress } from "./network.ts";
import { Room } from "./room.ts";
import { serveDirectory } from "./static.ts";
import { newToken, sameToken } from "./tokens.ts";

export const DEFAULT_PORT = 8787;

export interface RoomServerOptions {
  /** the built site to serve */
  dist: string;
  /** 0 picks a free port */
  port?: number;
  /** the address to listen on; all interfaces (IPv4 and IPv6) when omitted */
  host?: string;
  /** the address devices join at; the machine's LAN IPv4 address when omitted */
  joinHost?: string;
  limits?: Partial<RoomLimits>;
  timing?: Partial<RoomTiming>;
  log?: (line: string) => void;
}

export interface RoomServer {
  port: number;
  /** the URL to open on the presenter's machine */
  localUrl: string;
  /** the URL in the QR code, with the join token */
  joinUrl: string;
  /** no LAN address was found: devices other than this machine cannot join */
  loopbackOnly: boolean;
  joinToken: string;
  presenterToken: string;
  room: Room;
  close(): Promise<void>;
}

/** Upgrade attempts per address: a device guessing tokens is slowed to a trickle. */
const ATTEMPTS_PER_SECOND = 2;
const ATTEMPT_BURST = 20;

function deny(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

const sameHost = (origin: string, host: string | undefined) =>
  !!host && hostOf(origin) === host.toLowerCase();

export async function startRoomServer(options: RoomServerOptions): Promise<RoomServer> {
  const limits: RoomLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const timing: RoomTiming = { ...DEFAULT_TIMING, ...options.timing };
  const joinToken = newToken();
  const presenterToken = newToken();
  const serveStatic = serveDirectory(options.dist);

  // The sockets of each role have their own size ceiling, checked by ws before buffering.
  const memberSockets = new WebSocketServer({
    noServer: true,
    maxPayload: Math.max(limits.memberFrameBytes, limits.controlBytes),
    perMessageDeflate: false,
  });
  const presenterSockets = new WebSocketServer({
    noServer: true,
    maxPayload: limits.presenterFrameBytes,
    perMessageDeflate: false,
  });

  const http = createServer();
  // Handlers are attached in the listening callback, which runs before any connection is read:
  // by then the port, the join URL and the room exist.
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? DEFAULT_PORT, options.host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const loopbackHost = options.host !== undefined && isLoopbackAddress(options.host);
  const lan = loopbackHost
    ? { address: "127.0.0.1", loopback: true }
    : lanAddress(networkInterfaces());
  const joinUrl = joinUrlFor(`http://${options.joinHost ?? lan.address}:${port}`, joinToken);
  const room = new Room({ joinUrl, limits, timing, log: options.log });
  const localHost = !loopbackHost
    ? "localhost"
    : options.host!.includes(":")
      ? `[${options.host}]`
      : options.host;
  const attempts = new Map<string, TokenBucket>();

  http.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const { pathname } = new URL(request.url ?? "/", "http://room");
    if (pathname === PRESENTER_INFO_PATH) {
      if (
        !isLoopbackAddress(request.socket.remoteAddress) ||
        !isLoopbackHost(request.headers.host, port)
      ) {
        response
          .writeHead(403, { "content-type": "text/plain; charset=utf-8" })
          .end(`The presenter's page runs on the room server's machine: http://localhost:${port}/`);
        return;
      }
      const info: PresenterInfo = { token: presenterToken, joinUrl, socketPath: SOCKET_PATH };
      response
        .writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify(info));
      return;
    }
    serveStatic(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
    });
  });

  http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? "/", "http://room");
    if (url.pathname !== SOCKET_PATH) return deny(socket, 404, "Not Found");
    const address = request.socket.remoteAddress ?? "?";
    // This machine is trusted (it can read the presenter's token anyway); other devices are not.
    if (!isLoopbackAddress(address)) {
      let bucket = attempts.get(address);
      if (!bucket) {
        if (attempts.size > 4096) attempts.clear();
        bucket = new TokenBucket(ATTEMPTS_PER_SECOND, ATTEMPT_BURST, Date.now());
        attempts.set(address, bucket);
      }
      if (!bucket.take(1, Date.now())) return deny(socket, 429, "Too Many Requests");
    }

    const origin = request.headers.origin;
    const host = request.headers.host;
    const token = url.searchParams.get("token");
    if (url.searchParams.get("role") === "presenter") {
      const allowed =
        isLoopbackAddress(address) &&
        isLoopbackHost(host, port) &&
        (!origin || isLoopbackHost(hostOf(origin), port)) &&
        sameToken(presenterToken, token);
      if (!allowed) return deny(socket, 403, "Forbidden");
      presenterSockets.handleUpgrade(request, socket, head, (ws) => room.acceptPresenter(ws));
      return;
    }
    // A page of another site cannot join, even holding the token: members come from this origin.
    if (origin && !sameHost(origin, host)) return deny(socket, 403, "Forbidden");
    memberSockets.handleUpgrade(request, socket, head, (ws) => {
      if (sameToken(joinToken, token)) room.acceptMember(ws);
      else room.refuse(ws, CLOSE.wrongToken, "wrong join token");
    });
  });

  return {
    port,
    localUrl: `http://${localHost}:${port}/`,
    joinUrl,
    loopbackOnly: !options.joinHost && lan.loopback,
    joinToken,
    presenterToken,
    room,
    async close() {
      await room.close();
      memberSockets.close();
      presenterSockets.close();
      await new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      });
    },
  };
}
