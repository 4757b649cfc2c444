/**
 * The room server on loopback, driven by the pages' own link code (ws-link.ts, with ws's client
 * standing in for the browser's WebSocket) and by raw sockets playing hostile devices.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as WsClient } from "ws";
import type { Link } from "../../../src/ml/distributed/transport.ts";
import { encodeFrame } from "../../../src/room/framing.ts";
import { CLOSE, socketUrl, type DeviceInfo } from "../../../src/room/protocol.ts";
import {
  joinRoom,
  openPresenterRoom,
  RoomUnavailableError,
  type MemberRoom,
  type MemberStatus,
  type PresenterRoom,
} from "../../../src/room/ws-link.ts";
import { startRoomServer, type RoomServer } from "../../../tools/room/server.ts";

const TIMING = { heartbeatMs: 150, deadAfterMs: 900, helloTimeoutMs: 600, resumeGraceMs: 5000 };
const LIMITS = { memberFrameBytes: 64 * 1024, memberMessageBurst: 50, memberMessagesPerSecond: 50 };

let dist: string;
let server: RoomServer;
const cleanups: (() => unknown)[] = [];

const phone = (name = "Test phone"): DeviceInfo => ({
  name,
  kind: "phone",
  backend: "js",
  cores: 4,
});

/** ws's client as the browser's WebSocket, remembered so a test can cut it. */
const sockets: WsClient[] = [];
const createSocket = (url: string) => {
  const socket = new WsClient(url);
  sockets.push(socket);
  return socket as unknown as WebSocket;
};

async function until(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function presenter(): Promise<PresenterRoom> {
  const room = await openPresenterRoom({ page: server.localUrl, createSocket });
  cleanups.push(() => room.close());
  return room;
}

function member(name?: string, token = server.joinToken): MemberRoom {
  const room = joinRoom({ page: server.localUrl, token, device: phone(name), createSocket });
  cleanups.push(() => room.leave("test over"));
  return room;
}

async function joined(room: MemberRoom): Promise<number> {
  await until("the member to join", () => room.status.phase === "joined");
  return room.status.id!;
}

/** Waits for the presenter's link to member `id`. */
async function linkTo(room: PresenterRoom, id: number): Promise<Link> {
  await until(`a link to #${id}`, () => room.link(id) !== undefined);
  return room.link(id)!;
}

function nextMessage(link: Link): Promise<unknown> {
  return new Promise((resolve) => {
    const stop = link.onMessage((message) => {
      stop();
      resolve(message);
    });
  });
}

/** A raw socket for a hostile or broken device; resolves once open. */
async function raw(token = server.joinToken): Promise<WsClient> {
  const socket = new WsClient(socketUrl(server.localUrl, "member", token));
  cleanups.push(() => socket.terminate());
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return socket;
}

function closed(socket: WsClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

const hello = (name = "Hostile") => JSON.stringify({ k: "hello", v: 1, device: phone(name) });

/** Joins a raw socket as a member and returns its id (from the welcome). */
async function rawMember(name?: string): Promise<{ socket: WsClient; id: number; resume: string }> {
  const socket = await raw();
  const welcome = new Promise<{ id: number; resume: string }>((resolve) => {
    const onMessage = (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString());
      if (message.k === "welcome") {
        socket.off("message", onMessage);
        resolve(message);
      }
    };
    socket.on("message", onMessage);
  });
  socket.send(hello(name));
  return { socket, ...(await welcome) };
}

function refusals(room: PresenterRoom): string[] {
  return room.roster
    .entries()
    .filter((e) => e.state === "refused")
    .map((e) => e.reason);
}

function rosterEntry(room: PresenterRoom, id: number) {
  return room.roster.entries().find((e) => e.id === id);
}

function httpGet(
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path: pathname, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), "room-dist-"));
  await mkdir(path.join(dist, "assets"));
  await writeFile(path.join(dist, "index.html"), "<!doctype html><title>deck</title>");
  await writeFile(path.join(dist, "join.html"), "<!doctype html><title>join</title>");
  await writeFile(path.join(dist, "assets", "a.js"), "export const a = 1;".repeat(50));
  await writeFile(path.join(tmpdir(), "room-secret.txt"), "secret");
  server = await startRoomServer({
    dist,
    port: 0,
    host: "127.0.0.1",
    timing: TIMING,
    limits: LIMITS,
  });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const socket of sockets.splice(0)) socket.terminate();
  await until("the room to empty", () => {
    const snapshot = server.room.snapshot();
    return snapshot.members.length === 0 && !snapshot.presenter;
  });
});

afterAll(async () => {
  await server?.close();
  await rm(dist, { recursive: true, force: true });
});

describe("the room server's HTTP side", () => {
  it("serves the built site, gzipped, with a strict policy on the join page", async () => {
    const js = await httpGet("/assets/a.js", { "accept-encoding": "gzip" });
    expect(js.status).toBe(200);
    expect(js.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(js.body).toString()).toContain("export const a = 1;");
    const join = await httpGet("/join.html");
    expect(join.body.toString()).toContain("<title>join</title>");
    expect(join.headers["content-security-policy"]).toMatch(/connect-src 'self'/);
    expect(join.headers["content-security-policy"]).toMatch(/script-src 'self'/);
    expect((await httpGet("/")).body.toString()).toContain("<title>deck</title>");
  });

  it("serves nothing outside the built site", async () => {
    expect((await httpGet("/../room-secret.txt")).status).toBe(404);
    expect((await httpGet("/%2e%2e/room-secret.txt")).status).toBe(404);
    expect((await httpGet("/assets/%00a.js")).status).toBe(404);
    expect((await httpGet("/nope.html")).status).toBe(404);
  });

  it("hands the presenter token to this machine's own pages only", async () => {
    const local = await httpGet("/room/presenter");
    expect(local.status).toBe(200);
    expect(JSON.parse(local.body.toString())).toEqual({
      token: server.presenterToken,
      joinUrl: server.joinUrl,
      socketPath: "/room/ws",
    });
    expect(local.headers["access-control-allow-origin"]).toBeUndefined();
    // a page of another site whose name points at 127.0.0.1 (DNS rebinding) gets nothing
    const rebound = await httpGet("/room/presenter", { host: `evil.example:${server.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body.toString()).not.toContain(server.presenterToken);
  });

  it("puts the join token in the join URL's fragment, never sent to a server", () => {
    const url = new URL(server.joinUrl);
    expect(url.pathname).toBe("/join.html");
    expect(url.hash).toBe(`#t=${server.joinToken}`);
    expect(url.search).toBe("");
    expect(server.joinToken).not.toBe(server.presenterToken);
  });
});

describe("who may connect", () => {
  async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
    const socket = new WsClient(url, { headers });
    return new Promise((resolve) => {
      socket.on("unexpected-response", (_req, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => {
        socket.terminate();
        resolve(101);
      });
    });
  }

  it("takes a presenter only with its token, from this machine's own origin", async () => {
    const url = socketUrl(server.localUrl, "presenter", server.presenterToken);
    expect(await upgradeStatus(socketUrl(server.localUrl, "presenter", server.joinToken))).toBe(
      403,
    );
    expect(await upgradeStatus(url.replace(/token=[^&]+/, "token=nonsense"))).toBe(403);
    expect(await upgradeStatus(url, { origin: "http://evil.example" })).toBe(403);
    expect(await upgradeStatus(url, { host: `evil.example:${server.port}` })).toBe(403);
    expect(await upgradeStatus(url, { origin: server.localUrl.slice(0, -1) })).toBe(101);
  });

  it("refuses members from pages of another site, even with the token", async () => {
    const url = socketUrl(server.localUrl, "member", server.joinToken);
    expect(await upgradeStatus(url, { origin: "http://evil.example" })).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/elsewhere`)).toBe(404);
  });

  it("turns away a wrong join token, and the presenter sees it refused", async () => {
    const room = await presenter();
    const wrong = member("Wrong token", "AAAAAAAAAAAAAAAAAAAAAA");
    await until("the refusal", () => wrong.status.phase === "closed");
    expect(wrong.status.code).toBe(CLOSE.wrongToken);
    expect(wrong.status.reason).toMatch(/not for the room that is open now/);
    await until("the roster to show it", () => refusals(room).length === 1);
    expect(refusals(room)).toEqual(["wrong join token"]);
    expect(room.roster.refused).toBeGreaterThanOrEqual(1);
    expect(server.room.snapshot().members).toEqual([]);
  });

  it("tells a page clearly when no room server answers", async () => {
    const absent = joinRoom({
      page: "http://127.0.0.1:9/join.html",
      token: server.joinToken,
      device: phone(),
      createSocket,
    });
    await until("the failure", () => absent.status.phase === "closed");
    expect(absent.status.code).toBe(0);
    expect(absent.status.reason).toMatch(/No room server answered at 127\.0\.0\.1:9.*npm run room/);
    await expect(openPresenterRoom({ page: "http://127.0.0.1:9/" })).rejects.toThrow(
      RoomUnavailableError,
    );
  });
});

describe("relaying training messages", () => {
  it("gives the presenter a link per member and carries typed arrays both ways", async () => {
    const room = await presenter();
    const members: { id: number; link: Link }[] = [];
    room.onMember((info, link) => members.push({ id: info.id, link }));
    const phones = [member("A"), member("B")];
    const ids = await Promise.all(phones.map(joined));
    await until("two links", () => members.length === 2);
    expect(members.map((m) => m.id).sort()).toEqual([...ids].sort());

    // presenter → each member, then each member answers on its own link
    const memberLinks = await Promise.all(
      phones.map((p) => new Promise<Link>((resolve) => p.onLink(resolve))),
    );
    memberLinks.forEach((link, i) =>
      link.onMessage((message) => {
        const { params } = message as { params: Float32Array };
        link.send({ from: i, gradient: params.map((x) => x * 2), q: new Uint8Array([i, 255]) });
      }),
    );
    const answers = await Promise.all(
      members.map(({ link }, i) => {
        const answer = nextMessage(link);
        link.send({ step: 1, params: new Float32Array([1, i]) });
        return answer;
      }),
    );
    answers.forEach((answer, i) => {
      const a = answer as { gradient: Float32Array; q: Uint8Array };
      expect(a.gradient).toEqual(new Float32Array([2, 2 * i]));
      expect(a.q).toBeInstanceOf(Uint8Array);
    });
    const roster = room.roster.connected().map((e) => e.device?.name);
    expect(roster.sort()).toEqual(["A", "B"]);
  });

  it("stamps each member's frames with its own id: no member speaks as another", async () => {
    const room = await presenter();
    const honest = member("Honest");
    const honestId = await joined(honest);
    const liar = await rawMember("Liar");
    const honestLink = await linkTo(room, honestId);
    const liarLink = await linkTo(room, liar.id);
    const heardFromHonest: unknown[] = [];
    honestLink.onMessage((m) => heardFromHonest.push(m));
    const fromLiar = nextMessage(liarLink);
    liar.socket.send(encodeFrame(honestId, { claim: "I am the honest one" }));
    expect(await fromLiar).toEqual({ claim: "I am the honest one" });
    expect(heardFromHonest).toEqual([]);
  });

  it("keeps messages that arrive before the training code listens", async () => {
    const room = await presenter();
    const hostile = await rawMember("Early");
    const link = await linkTo(room, hostile.id);
    const relayed = server.room.snapshot().relayed;
    hostile.socket.send(encodeFrame(0, { n: 1 }));
    hostile.socket.send(encodeFrame(0, { n: 2 }));
    await until("the frames to be relayed", () => server.room.snapshot().relayed >= relayed + 2);
    // one heartbeat later they have reached the presenter's page, where nobody listens yet
    await new Promise((resolve) => setTimeout(resolve, 2 * TIMING.heartbeatMs));
    const heard: unknown[] = [];
    link.onMessage((m) => heard.push(m));
    expect(heard).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("drops frames for a member that has gone, and says so on send", async () => {
    const room = await presenter();
    const phoneRoom = member();
    const id = await joined(phoneRoom);
    const link = await linkTo(room, id);
    const reasons: string[] = [];
    link.onClose((r) => reasons.push(r));
    phoneRoom.leave("tab closed");
    await until("the link to close", () => reasons.length === 1);
    expect(reasons).toEqual(["left: tab closed"]);
    expect(() => link.send({ late: true })).not.toThrow();
    expect(rosterEntry(room, id)?.state).toBe("left");
  });

  it("refuses to send a message over the room's frame limit", async () => {
    const room = await presenter();
    const phoneRoom = member();
    await joined(phoneRoom);
    const link = await new Promise<Link>((resolve) => phoneRoom.onLink(resolve));
    expect(() => link.send({ g: new Float32Array(LIMITS.memberFrameBytes / 4) })).toThrow(
      /over the room's 65536-byte limit/,
    );
    expect(room.closed).toBe(false);
  });
});

describe("misbehaving members are rejected, marked, and the rest go on", () => {
  async function rejectedFor(send: (socket: WsClient) => void, name: string) {
    const room = await presenter();
    const good = member("Good");
    const goodId = await joined(good);
    const bad = await rawMember(name);
    const goodbye = closed(bad.socket);
    send(bad.socket);
    const { code, reason } = await goodbye;
    await until("the roster to mark it", () => rosterEntry(room, bad.id)?.state === "rejected");
    // the good member is untouched and still relays
    const link = await linkTo(room, goodId);
    const memberLink = await new Promise<Link>((resolve) => good.onLink(resolve));
    memberLink.onMessage((m) => memberLink.send(m));
    const echoed = nextMessage(link);
    link.send({ still: "here" });
    expect(await echoed).toEqual({ still: "here" });
    return { code, reason, marked: rosterEntry(room, bad.id)!.reason };
  }

  it("malformed JSON", async () => {
    const result = await rejectedFor((s) => s.send("{not json"), "Malformed");
    expect(result).toEqual({
      code: CLOSE.protocol,
      reason: "text message is not JSON",
      marked: "text message is not JSON",
    });
  });

  it("an unknown kind", async () => {
    const result = await rejectedFor((s) => s.send('{"k":"exec","code":"1"}'), "Unknown");
    expect(result.marked).toBe('unknown message kind "exec"');
  });

  it("a wrong field type", async () => {
    const result = await rejectedFor(
      (s) => s.send(JSON.stringify({ k: "device", device: { ...phone(), cores: "many" } })),
      "Wrong type",
    );
    expect(result.marked).toBe("device.device.cores: expected an integer, got a string");
  });

  it("a second hello", async () => {
    expect((await rejectedFor((s) => s.send(hello()), "Twice")).marked).toBe("said hello twice");
  });

  it("a binary frame that is not a room frame", async () => {
    const result = await rejectedFor(
      (s) => s.send(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])),
      "Garbage",
    );
    expect(result.marked).toBe("binary frame is not a room frame");
  });

  it("a frame whose header lies about its arrays", async () => {
    const frame = encodeFrame(0, { g: new Float32Array(4) });
    const lying = frame.subarray(0, frame.byteLength - 4);
    const result = await rejectedFor((s) => s.send(lying), "Liar");
    expect(result.marked).toMatch(/array 0: runs past the frame/);
  });

  it("an oversize text message, refused before it is parsed", async () => {
    const result = await rejectedFor((s) => s.send("x".repeat(5000)), "Chatty");
    expect(result.marked).toBe("text message of 5000 bytes, over the 2048-byte limit");
  });

  it("an oversize binary frame, cut off by ws before it is buffered", async () => {
    const result = await rejectedFor(
      (s) => s.send(new Uint8Array(LIMITS.memberFrameBytes + 1)),
      "Huge",
    );
    expect(result.code).toBe(1009);
    expect(result.marked).toBe("message over the 65536-byte limit");
  });

  it("a flood of messages", async () => {
    const result = await rejectedFor((s) => {
      for (let i = 0; i < 200; i++) s.send('{"k":"beat"}');
    }, "Flood");
    expect(result.code).toBe(CLOSE.flooding);
    expect(result.marked).toBe("flooding: over 50 messages a second");
  });

  it("a device that never says hello is dropped and counted as refused", async () => {
    const room = await presenter();
    const silent = await raw();
    const { code, reason } = await closed(silent);
    expect(code).toBe(CLOSE.protocol);
    expect(reason).toBe("said no hello within 0.6 s");
    await until("the refusal", () => refusals(room).length === 1);
    expect(refusals(room)).toEqual(["said no hello within 0.6 s"]);
  });

  it("a member the presenter removes (a coordinator that saw NaN gradients)", async () => {
    const room = await presenter();
    const phoneRoom = member("NaN sender");
    const id = await joined(phoneRoom);
    const memberLink = await new Promise<Link>((resolve) => phoneRoom.onLink(resolve));
    const memberSide = new Promise<string>((resolve) => memberLink.onClose(resolve));
    (await linkTo(room, id)).close("NaN in its gradient");
    expect(await memberSide).toBe("connection lost");
    await until("the member to hear it", () => phoneRoom.status.phase === "closed");
    expect(phoneRoom.status.code).toBe(CLOSE.removed);
    expect(phoneRoom.status.reason).toBe("removed by the presenter: NaN in its gradient");
    await until("the roster to mark it", () => rosterEntry(room, id)?.state === "rejected");
    expect(rosterEntry(room, id)?.reason).toBe("removed by the presenter: NaN in its gradient");
  });
});

describe("members that disappear and come back", () => {
  it("notices a silent member within the heartbeat timeout, and lets it back as itself", async () => {
    const room = await presenter();
    const silent = await rawMember("Frozen"); // never answers beats
    const link = await linkTo(room, silent.id);
    const start = Date.now();
    const reason = await new Promise<string>((resolve) => link.onClose(resolve));
    const elapsed = Date.now() - start;
    expect(reason).toBe("timed out: nothing heard for 0.9 s");
    expect(elapsed).toBeLessThan(TIMING.deadAfterMs + 3 * TIMING.heartbeatMs + 500);
    expect(rosterEntry(room, silent.id)?.state).toBe("lost");

    // back within the grace period, with the secret from its welcome: the same member
    const back = await raw();
    const welcome = new Promise<{ id: number }>((resolve) =>
      back.on("message", (data, isBinary) => {
        const message = isBinary ? {} : JSON.parse(data.toString());
        if (message.k === "welcome") resolve(message);
      }),
    );
    back.send(JSON.stringify({ k: "hello", v: 1, device: phone("Frozen"), resume: silent.resume }));
    expect((await welcome).id).toBe(silent.id);
    await until(
      "a fresh link",
      () => room.link(silent.id) !== undefined && room.link(silent.id) !== link,
    );
    expect(rosterEntry(room, silent.id)).toMatchObject({ state: "connected", returns: 1 });
  });

  it("reconnects a member whose connection dropped, keeping its id, with a new link", async () => {
    const room = await presenter();
    const phoneRoom = member("Flaky");
    const id = await joined(phoneRoom);
    const links: Link[] = [];
    phoneRoom.onLink((l) => links.push(l));
    await until("the first link", () => links.length === 1);
    const statuses: MemberStatus["phase"][] = [];
    phoneRoom.onStatus((s) => statuses.push(s.phase));
    const firstClosed = new Promise<string>((resolve) => links[0]!.onClose(resolve));
    // cut the socket without a goodbye, as a Wi-Fi drop would
    sockets.at(-1)!.terminate();
    expect(await firstClosed).toBe("connection lost");
    await until("the member to be back", () => links.length === 2);
    expect(phoneRoom.status).toMatchObject({ phase: "joined", id, presenter: true });
    expect(statuses).toContain("reconnecting");
    await until("the presenter's fresh link", () => room.link(id) !== undefined);
    const echo = nextMessage(room.link(id)!);
    links[1]!.send({ after: "reconnecting" });
    expect(await echo).toEqual({ after: "reconnecting" });
    expect(rosterEntry(room, id)).toMatchObject({ state: "connected", returns: 1 });
  });

  it("gives members a new link when the presenter's page reloads, and none while it is away", async () => {
    const first = await presenter();
    const phoneRoom = member("Patient");
    const id = await joined(phoneRoom);
    const links: Link[] = [];
    phoneRoom.onLink((l) => links.push(l));
    await linkTo(first, id);
    await until("the member's first link", () => links.length === 1);
    const firstClosed = new Promise<string>((resolve) => links[0]!.onClose(resolve));
    first.close();
    expect(await firstClosed).toBe("the presenter left");
    expect(phoneRoom.status).toMatchObject({ phase: "joined", presenter: false });
    const second = await presenter();
    await until("a second link", () => links.length === 2);
    expect(second.session).toBe(first.session + 1);
    const echo = nextMessage(await linkTo(second, id));
    links[1]!.send("hello again");
    expect(await echo).toBe("hello again");
  });
});

describe("closing", () => {
  it("closes every connection with a reason when the server stops", async () => {
    const other = await startRoomServer({ dist, port: 0, host: "127.0.0.1", timing: TIMING });
    try {
      const room = await openPresenterRoom({ page: other.localUrl, createSocket });
      const phoneRoom = joinRoom({
        page: other.localUrl,
        token: other.joinToken,
        device: phone(),
        createSocket,
      });
      await joined(phoneRoom);
      const presenterClosed = new Promise<string>((resolve) => room.onClose(resolve));
      await other.close();
      expect(await presenterClosed).toMatch(/the room closed/);
      await until("the member to hear it", () => phoneRoom.status.phase === "closed");
      expect(phoneRoom.status.reason).toBe("The presenter closed the room.");
    } finally {
      await other.close();
    }
  });
});
