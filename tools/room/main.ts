/**
 * `npm run room`: opens a training room on this machine. Serves the built site to the local
 * network (building it first if dist/ has no join page), prints the URL to open here and the
 * address devices join at, and closes every connection on Ctrl-C.
 *
 *   npm run room -- [--port 8787] [--host <listen address>] [--join-host <address in the QR code>]
 *                   [--dist dist] [--build] [--quiet]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { DEFAULT_PORT, startRoomServer } from "./server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const say = (line = "") => process.stdout.write(line + "\n");
const complain = (line: string) => process.stderr.write(line + "\n");

function build(): void {
  say("Building the site (vite build)…");
  const vite = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");
  const result = spawnSync(process.execPath, [vite, "build"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) {
    complain("The build failed; the room needs the built site. Fix the build and run again.");
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: String(DEFAULT_PORT) },
      host: { type: "string" },
      "join-host": { type: "string" },
      dist: { type: "string", default: "dist" },
      build: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    say(
      "npm run room -- [--port 8787] [--host ADDRESS] [--join-host ADDRESS] [--dist dist] [--build] [--quiet]",
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    complain(`--port ${values.port}: not a port number`);
    process.exit(2);
  }
  const dist = path.resolve(ROOT, values.dist);
  if (values.build || !existsSync(path.join(dist, "join.html"))) {
    if (!values.build) say(`${path.relative(ROOT, dist) || dist} has no join page yet.`);
    build();
  }

  let server;
  try {
    server = await startRoomServer({
      dist,
      port,
      host: values.host,
      joinHost: values["join-host"],
      log: values.quiet ? undefined : (line) => say(`  ${new Date().toLocaleTimeString()} ${line}`),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") complain(`Port ${port} is taken: try --port ${port + 1}.`);
    else if (code === "EADDRNOTAVAIL") complain(`This machine has no address ${values.host}.`);
    else complain(`The room could not start: ${String(error)}`);
    process.exit(1);
  }

  say();
  say("The training room is open.");
  say(`  On this machine, open the deck:   ${server.localUrl}`);
  say(`  Devices join at (QR on the slide): ${server.joinUrl}`);
  if (server.loopbackOnly) {
    say("  No network address found: only this machine can join. Connect to the room's Wi-Fi,");
    say("  then restart (or pass --join-host).");
  } else {
    say("  Phones must be on the same network; a firewall may need to allow this port.");
  }
  say("  Ctrl-C closes the room.");
  say();

  let closing = false;
  const stop = () => {
    if (closing) {
      complain("Forced exit.");
      process.exit(1);
    }
    closing = true;
    say("\nClosing the room…");
    server.close().then(
      () => {
        say("Closed.");
        process.exit(0);
      },
      (error: unknown) => {
        complain(`Closing failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
