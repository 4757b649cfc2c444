import { describe, expect, it } from "vitest";
import {
  DEFAULT_LIMITS,
  isWellFormedToken,
  joinUrl,
  parseMemberControl,
  parsePresenterControl,
  parsePresenterInfo,
  parseToMember,
  parseToPresenter,
  socketUrl,
  tokenFromHash,
  utf8Length,
} from "../../../src/room/protocol.ts";

const device = { name: "Android phone · Chrome", kind: "phone", backend: "js", cores: 8 };
const hello = { k: "hello", v: 1, device };

function member(value: unknown): string {
  const parsed = parseMemberControl(typeof value === "string" ? value : JSON.stringify(value));
  return parsed.ok ? "accepted" : parsed.reason;
}

describe("member control messages", () => {
  it("accepts each kind in its shape", () => {
    expect(member(hello)).toBe("accepted");
    expect(member({ ...hello, resume: "abc" })).toBe("accepted");
    expect(member({ k: "device", device: { ...device, backend: "webgl", cores: null } })).toBe(
      "accepted",
    );
    expect(member({ k: "beat" })).toBe("accepted");
  });

  it("rejects what is not a JSON object", () => {
    expect(member("{oops")).toBe("text message is not JSON");
    expect(member("")).toBe("text message is not JSON");
    expect(member("[1,2]")).toBe("text message is not a JSON object");
    expect(member("null")).toBe("text message is not a JSON object");
    expect(member('"hello"')).toBe("text message is not a JSON object");
  });

  it("rejects missing and unknown kinds", () => {
    expect(member({ device })).toMatch(/no kind/);
    expect(member({ k: 3 })).toMatch(/no kind/);
    expect(member({ k: "eval", code: "alert(1)" })).toBe('unknown message kind "eval"');
    // kinds of the other direction are not the member's to send
    expect(member({ k: "remove", id: 1, reason: "x" })).toMatch(/unknown message kind/);
    expect(member({ k: "welcome" })).toMatch(/unknown message kind/);
    // nor are the names of Object.prototype's members
    expect(member({ k: "constructor" })).toMatch(/unknown message kind/);
    expect(member({ k: "__proto__" })).toMatch(/unknown message kind/);
  });

  it("rejects wrong field types", () => {
    expect(member({ ...hello, v: "1" })).toMatch(/^hello\.v: expected an integer/);
    expect(member({ ...hello, v: 1.5 })).toMatch(/expected an integer/);
    expect(member({ ...hello, device: "phone" })).toMatch(/hello\.device: expected an object/);
    expect(member({ ...hello, device: [device] })).toMatch(/expected an object, got an array/);
    expect(member({ ...hello, device: { ...device, name: 7 } })).toMatch(/name: expected a string/);
    expect(member({ ...hello, device: { ...device, kind: "toaster" } })).toMatch(/expected one of/);
    expect(member({ ...hello, device: { ...device, cores: -1 } })).toMatch(/outside 1…1024/);
    expect(member({ ...hello, device: { ...device, cores: "8" } })).toMatch(/expected an integer/);
    expect(member({ ...hello, resume: 12 })).toMatch(/resume: expected a string/);
  });

  it("rejects missing and extra fields", () => {
    expect(member({ k: "hello", device })).toBe("hello.v: missing");
    const { cores: _, ...noCores } = device;
    expect(member({ ...hello, device: noCores })).toBe("hello.device.cores: missing");
    expect(member({ ...hello, html: "<img onerror=…>" })).toMatch(/html: not a field/);
    expect(member({ ...hello, device: { ...device, colour: "red" } })).toMatch(
      /colour: not a field/,
    );
    expect(member({ k: "beat", extra: true })).toMatch(/extra: not a field/);
  });

  it("limits device names and rejects control characters in them", () => {
    const name = (n: string) => member({ ...hello, device: { ...device, name: n } });
    expect(name("x".repeat(40))).toBe("accepted");
    expect(name("x".repeat(41))).toMatch(/41 characters, at most 40/);
    expect(name("")).toMatch(/at least 1/);
    expect(name("phone\u001b[2J")).toMatch(/control characters/);
    expect(name("phone\u202egnp.exe")).toMatch(/control characters/);
    expect(name("<b>bold</b>")).toBe("accepted"); // shown as text, so harmless
    expect(member({ ...hello, device: { ...device, backend: "x".repeat(17) } })).toMatch(
      /at most 16/,
    );
  });

  it("rejects text over the control limit before parsing it", () => {
    const big = JSON.stringify({ ...hello, pad: "x".repeat(DEFAULT_LIMITS.controlBytes) });
    expect(member(big)).toMatch(/over the 2048-byte limit/);
    // characters that take several bytes each count as bytes
    const wide = JSON.stringify({ k: "beat", p: "€".repeat(700) });
    expect(wide.length).toBeLessThan(DEFAULT_LIMITS.controlBytes);
    expect(member(wide)).toMatch(/over the 2048-byte limit/);
  });
});

describe("presenter control messages", () => {
  const presenter = (value: unknown) => {
    const parsed = parsePresenterControl(JSON.stringify(value));
    return parsed.ok ? "accepted" : parsed.reason;
  };

  it("accepts beats and removals, rejects the rest", () => {
    expect(presenter({ k: "beat" })).toBe("accepted");
    expect(presenter({ k: "remove", id: 3, reason: "NaN gradients" })).toBe("accepted");
    expect(presenter({ k: "remove", id: 0, reason: "x" })).toMatch(/outside/);
    expect(presenter({ k: "remove", id: 3, reason: "x".repeat(121) })).toMatch(/at most 120/);
    expect(presenter({ k: "hello", v: 1, device })).toMatch(/unknown message kind/);
  });
});

describe("server messages, as the pages check them", () => {
  it("accepts the server's messages and rejects malformed ones", () => {
    const info = { id: 2, device, joinedAt: 10, resumed: false };
    expect(parseToPresenter(JSON.stringify({ k: "joined", member: info })).ok).toBe(true);
    expect(parseToPresenter(JSON.stringify({ k: "roster", members: [info, info] })).ok).toBe(true);
    expect(
      parseToPresenter(JSON.stringify({ k: "left", id: 2, reason: "timed out", how: "lost" })).ok,
    ).toBe(true);
    expect(
      parseToPresenter(JSON.stringify({ k: "left", id: 2, reason: "x", how: "vanished" })).ok,
    ).toBe(false);
    expect(parseToPresenter(JSON.stringify({ k: "joined", member: { ...info, id: "2" } })).ok).toBe(
      false,
    );
    expect(parseToMember(JSON.stringify({ k: "presenter", session: null })).ok).toBe(true);
    expect(parseToMember(JSON.stringify({ k: "presenter", session: "1" })).ok).toBe(false);
    expect(parseToMember(JSON.stringify({ k: "roster", members: [] })).ok).toBe(false);
  });
});

describe("tokens and addresses", () => {
  const token = "AbCdEfGhIjKlMnOpQrSt_-";

  it("knows a well-formed token", () => {
    expect(isWellFormedToken(token)).toBe(true);
    expect(isWellFormedToken(token.slice(1))).toBe(false);
    expect(isWellFormedToken(token + "x")).toBe(false);
    expect(isWellFormedToken("AbCdEfGhIjKlMnOpQrSt+/")).toBe(false);
    expect(isWellFormedToken(null)).toBe(false);
  });

  it("reads the join token from the URL fragment only when well formed", () => {
    expect(tokenFromHash(`#t=${token}`)).toBe(token);
    expect(tokenFromHash(`#x=1&t=${token}`)).toBe(token);
    expect(tokenFromHash("#t=short")).toBeUndefined();
    expect(tokenFromHash("")).toBeUndefined();
  });

  it("builds join and socket URLs on the page's origin", () => {
    expect(joinUrl("http://192.168.1.5:8787/", token)).toBe(
      `http://192.168.1.5:8787/join.html#t=${token}`,
    );
    expect(socketUrl(`http://192.168.1.5:8787/join.html#t=${token}`, "member", token)).toBe(
      `ws://192.168.1.5:8787/room/ws?role=member&token=${token}`,
    );
    expect(socketUrl("https://deck.example/x?y", "presenter", token)).toMatch(
      /^wss:\/\/deck\.example\/room\/ws\?role=presenter/,
    );
  });

  it("checks the presenter info the server hands out", () => {
    expect(
      parsePresenterInfo({ token, joinUrl: "http://x/join.html", socketPath: "/room/ws" }),
    ).toBeTruthy();
    expect(parsePresenterInfo({ token: "x", joinUrl: "", socketPath: "" })).toBeUndefined();
    expect(parsePresenterInfo("<html>")).toBeUndefined();
  });

  it("counts UTF-8 bytes", () => {
    for (const text of ["abc", "é", "€", "😀", "a😀é€", "\ud800"]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
