/** The room's secrets: random, unguessable, compared in constant time. */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { isWellFormedToken } from "../../src/room/protocol.ts";

/** 128 random bits as 22 base64url characters (the shape `isWellFormedToken` accepts). */
export function newToken(): string {
  return randomBytes(16).toString("base64url");
}

/** True when `given` is the expected token; its time does not depend on where they differ. */
export function sameToken(expected: string, given: unknown): boolean {
  if (!isWellFormedToken(given)) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
