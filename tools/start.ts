/**
 * `npm start`: the dev server, and the deck opened in the Chrome or Chromium that
 * tools/chromium.ts finds. Where there is none, the URL is printed to open by hand.
 */
import { spawn } from "node:child_process";
import { createServer } from "vite";
import { findChromium, missingChromiumMessage } from "./chromium.ts";

const server = await createServer({ server: { open: false } });
await server.listen();
server.printUrls();
const url = server.resolvedUrls?.local[0];
const browser = findChromium();
if (url && browser) {
  const child = spawn(browser, [url], { detached: true, stdio: "ignore" });
  child.on("error", (error) =>
    console.warn(`Could not start ${browser} (${error.message}): open ${url}`),
  );
  child.unref();
} else if (url) {
  console.warn(`Open ${url} in a browser (${missingChromiumMessage()})`);
}
