import { describe, expect, it } from "vitest";
import { isWellFormedToken } from "../../../src/room/protocol.ts";
import { isLoopbackAddress, isLoopbackHost, lanAddress } from "../../../tools/room/network.ts";
import { newToken, sameToken } from "../../../tools/room/tokens.ts";

describe("room tokens", () => {
  it("are well formed, and differ every time", () => {
    const tokens = Array.from({ length: 1000 }, newToken);
    expect(tokens.every(isWellFormedToken)).toBe(true);
    expect(new Set(tokens).size).toBe(1000);
  });

  it("carry 128 bits: every character position varies", () => {
    const tokens = Array.from({ length: 2000 }, newToken);
    for (let i = 0; i < 21; i++) {
      // 64 symbols per position: 2000 draws show far more than a handful
      expect(new Set(tokens.map((t) => t[i])).size).toBeGreaterThan(50);
    }
  });

  it("compare exactly", () => {
    const token = newToken();
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(token, newToken())).toBe(false);
    expect(sameToken(token, token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))).toBe(false);
    expect(sameToken(token, token + "A")).toBe(false);
    expect(sameToken(token, "")).toBe(false);
    expect(sameToken(token, null)).toBe(false);
    expect(sameToken(token, [token])).toBe(false);
  });
});

describe("room addresses", () => {
  const iface = (address: string, internal = false, family = "IPv4") =>
    ({ address, family, internal, netmask: "", mac: "", cidr: null }) as never;

  it("picks a private address on a physical interface", () => {
    expect(
      lanAddress({
        lo: [iface("127.0.0.1", true)],
        docker0: [iface("172.17.0.1")],
        wlan0: [iface("fe80::1", false, "IPv6"), iface("192.168.1.23")],
      }),
    ).toEqual({ address: "192.168.1.23", loopback: false });
  });

  it("falls back to a virtual interface, then to loopback", () => {
    expect(lanAddress({ docker0: [iface("172.17.0.1")] }).address).toBe("172.17.0.1");
    expect(lanAddress({ eth0: [iface("169.254.3.4")], lo: [iface("127.0.0.1", true)] })).toEqual({
      address: "127.0.0.1",
      loopback: true,
    });
  });

  it("knows loopback peers and loopback host names", () => {
    expect(isLoopbackAddress("127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::1")).toBe(true);
    expect(isLoopbackAddress("192.168.1.5")).toBe(false);
    expect(isLoopbackAddress("::ffff:10.0.0.1")).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
    expect(isLoopbackHost("localhost:8787", 8787)).toBe(true);
    expect(isLoopbackHost("127.0.0.1:8787", 8787)).toBe(true);
    expect(isLoopbackHost("[::1]:8787", 8787)).toBe(true);
    expect(isLoopbackHost("localhost:8788", 8787)).toBe(false);
    expect(isLoopbackHost("evil.example:8787", 8787)).toBe(false);
    expect(isLoopbackHost("localhost.evil.example:8787", 8787)).toBe(false);
  });
});
