/**
 * Serves the built site (dist/) to the room: gzip for text, bodies cached in memory (phones
 * joining at once should not each cost a compression), and headers that keep the join page
 * strict: it runs only its own scripts and talks only to its own origin.
 */
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".bin": "application/octet-stream",
};

const COMPRESSIBLE = /\.(html|m?js|css|json|map|svg|txt|csv|md|wasm|ttf|bin)$/i;

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

interface Body {
  type: string;
  data: Buffer;
  gzip: boolean;
}

async function resolveFile(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  let file = path.resolve(root, "." + path.posix.normalize("/" + decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export function serveDirectory(directory: string): StaticHandler {
  const root = path.resolve(directory);
  const cache = new Map<string, Promise<Body>>();
  const load = (file: string): Promise<Body> => {
    let body = cache.get(file);
    if (!body) {
      const ext = path.extname(file).toLowerCase();
      const gzip = COMPRESSIBLE.test(file);
      body = readFile(file).then((raw) => ({
        type: TYPES[ext] ?? "application/octet-stream",
        data: gzip ? gzipSync(raw) : raw,
        gzip,
      }));
      body.catch(() => cache.delete(file));
      cache.set(file, body);
    }
    return body;
  };

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
