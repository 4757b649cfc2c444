/**
 * The static file server of the browser tests and the benchmark: loopback only, with gzip, so that transfer sizes are what a real server
 * would send: JavaScript, CSS, WebAssembly (and other text) go out with `Content-Encoding: gzip`.
 * Compressed bodies are cached in memory, so compression time does not count as load time.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { bodyCache, resolveFile } from "./static-files.ts";

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveStatic(directory: string): Promise<StaticServer> {
  const root = path.resolve(directory);
  const load = bodyCache();

  const server = createServer((request, response) => {
    void (async () => {
      const { pathname } = new URL(request.url ?? "/", "http://localhost");
      const file = await resolveFile(root, pathname);
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
