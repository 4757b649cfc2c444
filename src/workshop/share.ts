/**
 * What a shared link carries besides the page: the values of the notebook's inputs (so the
 * receiver sees what the sender saw), a seed for Math.random, and optionally edited code, which
 * the receiver sees and must accept before it runs.
 */

export interface SharedState {
  /** input values by cell id */
  inputs: Record<string, unknown>;
  /** edited sources by cell id */
  code: Record<string, string>;
}

const INPUTS_PARAM = "in";
const CODE_PARAM = "code";
export const SEED_PARAM = "seed";

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

function decodeObject(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(fromBase64Url(text));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined; // a damaged link: ignore what cannot be read
  }
}

export function readShared(search: string): SharedState {
  const params = new URLSearchParams(search);
  const inputs = decodeObject(params.get(INPUTS_PARAM)) ?? {};
  const code: Record<string, string> = {};
  for (const [id, source] of Object.entries(decodeObject(params.get(CODE_PARAM)) ?? {})) {
    if (typeof source === "string") code[id] = source;
  }
  return { inputs, code };
}

/** The query string with these values set (an empty record removes its parameter). */
export function writeShared(search: string, state: Partial<SharedState>): string {
  const params = new URLSearchParams(search);
  const set = (name: string, value: Record<string, unknown> | undefined) => {
    if (value === undefined) return;
    if (Object.keys(value).length) params.set(name, toBase64Url(JSON.stringify(value)));
    else params.delete(name);
  };
  set(INPUTS_PARAM, state.inputs);
  set(CODE_PARAM, state.code);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Values worth putting in a link: what JSON keeps exactly. */
export function isShareable(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "number":
      return Number.isFinite(value);
    case "string":
    case "boolean":
      return true;
    case "object":
      return Array.isArray(value) && value.every(isShareable);
    default:
      return false;
  }
}

/** A small seeded generator (mulberry32) to stand in for Math.random when a link has a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
