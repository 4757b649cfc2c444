/**
 * What the two static servers share (the tests' and the benchmark's loopback server, and the
 * room's): a request's path turned into a file inside the served folder and nowhere else, the
 * file's content type, and bodies read and gzipped once and then served from memory.
 */
import { readFile, stat } from "node:fs/promises";
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

/** Text and WebAssembly: what a production server compresses (images and fonts already are). */
const COMPRESSIBLE = new Set([
  ".html",
  ".js",
  ".mjs",
  ".css",
  ".json",
  ".map",
  ".svg",
  ".txt",
  ".csv",
  ".md",
  ".wasm",
  ".ttf",
  ".bin",
]);

export interface Body {
  type: string;
  data: Buffer;
  gzip: boolean;
}

/** The file a URL path names inside `root` (its index.html for a folder); undefined if none. */
export async function resolveFile(root: string, pathname: string): Promise<string | undefined> {
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

/**
 * Reads each file once, gzipped where that is what a server would send (at zlib's default level,
 * the common server setting); a failed read is not cached.
 */
export function bodyCache(): (file: string) => Promise<Body> {
  const cache = new Map<string, Promise<Body>>();
  return (file) => {
    let body = cache.get(file);
    if (!body) {
      const ext = path.extname(file).toLowerCase();
      const gzip = COMPRESSIBLE.has(ext);
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
}
