/**
 * The static file server of the browser tests and the benchmark: loopback only, with gzip, so that transfer sizes are what a real server
 * would send: JavaScript, CSS, WebAssembly (and other text) go out with `Content-Encoding: gzip`.
 * Compressed bodies are cached in memory, so compression time does not count as load time.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".bin": "application/octet-stream",
};

/** Compressed like a typical production server; fonts and images are already compressed. */
const GZIPPED = new Set([
  ".html",
  ".js",
  ".mjs",
  ".css",
  ".json",
  ".svg",
  ".txt",
  ".csv",
  ".wasm",
  ".ttf",
  ".bin",
]);

/** zlib's default level, the common server setting. */
const GZIP_LEVEL = 6;

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

interface Body {
  type: string;
  data: Buffer;
  gzip: boolean;
}

async function fileFor(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  let file = path.resolve(root, "." + path.posix.normalize("/" + decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

export async function serveStatic(directory: string): Promise<StaticServer> {
  const root = path.resolve(directory);
  const cache = new Map<string, Promise<Body>>();
  const load = (file: string): Promise<Body> => {
    let body = cache.get(file);
    if (!body) {
      const ext = path.extname(file).toLowerCase();
      body = readFile(file).then((raw) => {
        const gzip = GZIPPED.has(ext);
        return {
          type: TYPES[ext] ?? "application/octet-stream",
          data: gzip ? gzipSync(raw, { level: GZIP_LEVEL }) : raw,
          gzip,
        };
      });
      cache.set(file, body);
    }
    return body;
  };

  const server = createServer((request, response) => {
    void (async () => {
      const { pathname } = new URL(request.url ?? "/", "http://localhost");
      const file = await fileFor(root, pathname);
      if (!file || (request.method !== "GET" && request.method !== "HEAD")) {
        response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
        return;
      }
      const body = await load(file);
      const acceptsGzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
      if (body.gzip && !acceptsGzip) throw new Error(`client refused gzip for ${pathname}`);
      response.writeHead(200, {
        "content-type": body.type,
        "content-length": body.data.length,
        "cache-control": "no-store",
        ...(body.gzip ? { "content-encoding": "gzip", vary: "accept-encoding" } : {}),
      });
      response.end(request.method === "HEAD" ? undefined : body.data);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
