/**
 * The shape of the room's tokens, apart from the rest of the protocol so that the join page can
 * read its token before the tap without loading the message validators.
 */

/** 128 random bits, base64url without padding: 22 characters. */
export const TOKEN_LENGTH = 22;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function isWellFormedToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN_PATTERN.test(value);
}

/** The join token a member page found in its URL (`join.html#t=…`), if well formed. */
export function tokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("t");
  return isWellFormedToken(token) ? token : undefined;
}
