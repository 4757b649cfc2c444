/**
 * Serves the built site (dist/) to the room: gzip for text, bodies cached in memory (phones
 * joining at once should not each cost a compression), and headers that keep the join page
 * strict: it runs only its own scripts and talks only to its own origin.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { bodyCache, resolveFile } from "../static-files.ts";

/**
 * The join page: its own scripts (and wasm, for TensorFlow.js later), its own styles, and
 * connections to its own origin only (`'self'` covers the same-origin WebSocket).
 */
const JOIN_PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export function serveDirectory(directory: string): StaticHandler {
  const root = path.resolve(directory);
  const load = bodyCache();

  return async (request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://room");
    const file = await resolveFile(root, pathname);
    if (!file || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
      return;
    }
    const body = await load(file);
    const acceptsGzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
    const data = body.gzip && !acceptsGzip ? await readFile(file) : body.data;
    const headers: Record<string, string | number> = {
      "content-type": body.type,
      "content-length": data.length,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    };
    if (body.gzip) headers.vary = "accept-encoding";
    if (body.gzip && acceptsGzip) headers["content-encoding"] = "gzip";
    if (path.basename(file) === "join.html") headers["content-security-policy"] = JOIN_PAGE_POLICY;
    response.writeHead(200, headers);
    response.end(request.method === "HEAD" ? undefined : data);
  };
}
