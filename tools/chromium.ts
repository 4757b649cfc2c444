/**
 * The Chromium or Chrome the tests, the benchmark and `npm start` use, and how they start it
 * headless: WebGL2 through SwiftShader (a software renderer) and no network traffic of its own.
 * Never downloaded: Debian's /usr/bin/chromium when present, else a Chrome or Chromium in the
 * usual places of macOS, Windows and Linux, else the path in FLOWDECK_CHROMIUM.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const CHROMIUM_ENV = "FLOWDECK_CHROMIUM";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export interface Where {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  exists: (file: string) => boolean;
}

const HERE: Where = { platform: process.platform, env: process.env, exists: existsSync };

/** The usual install places of Chrome and Chromium on a platform, most likely first. */
export function usualPlaces(platform: NodeJS.Platform, env: Where["env"]): string[] {
  if (platform === "darwin") {
    const apps = ["Google Chrome", "Chromium", "Google Chrome Canary", "Microsoft Edge"];
    const roots = ["/Applications", env.HOME && path.posix.join(env.HOME, "Applications")];
    return roots
      .filter((root): root is string => !!root)
      .flatMap((root) => apps.map((app) => `${root}/${app}.app/Contents/MacOS/${app}`));
  }
  if (platform === "win32") {
    const roots = [env.PROGRAMFILES, env["PROGRAMFILES(X86)"], env.LOCALAPPDATA].filter(
      (root): root is string => !!root,
    );
    const apps = [
      "Google\\Chrome\\Application\\chrome.exe",
      "Chromium\\Application\\chrome.exe",
      "Microsoft\\Edge\\Application\\msedge.exe",
    ];
    return roots.flatMap((root) => apps.map((app) => path.win32.join(root, app)));
  }
  const names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
  const dirs = ["/usr/bin", "/usr/local/bin", "/snap/bin", "/opt/google/chrome"];
  return dirs.flatMap((dir) => names.map((name) => `${dir}/${name}`));
}

/** The browser to use, or undefined when there is none. */
export function findChromium(where: Where = HERE): string | undefined {
  if (where.platform !== "win32" && where.exists(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const usual = usualPlaces(where.platform, where.env).find((file) => where.exists(file));
  if (usual) return usual;
  const named = where.env[CHROMIUM_ENV];
  return named && where.exists(named) ? named : undefined;
}

/** One sentence: what is missing and how to get it. */
export function missingChromiumMessage(where: Where = HERE): string {
  const named = where.env[CHROMIUM_ENV];
  const install =
    where.platform === "darwin"
      ? "install Google Chrome (https://www.google.com/chrome/)"
      : where.platform === "win32"
        ? "install Google Chrome (https://www.google.com/chrome/)"
        : "install Chromium (on Debian or Ubuntu: `sudo apt-get install chromium`)";
  const set = named
    ? `${CHROMIUM_ENV}=${named} does not exist`
    : `no Chrome or Chromium was found in the usual places`;
  return `${set}: ${install}, or set ${CHROMIUM_ENV} to the path of a Chrome or Chromium executable.`;
}

/** The browser to use; throws one clear sentence when there is none. */
export function chromiumPath(where: Where = HERE): string {
  const found = findChromium(where);
  if (!found) throw new Error(missingChromiumMessage(where));
  return found;
}

/** The browser found now (Debian's path when none is, so that importing never throws). */
export const CHROMIUM = findChromium() ?? DEBIAN_CHROMIUM;

export const CHROMIUM_ARGS: readonly string[] = [
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
