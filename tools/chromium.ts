/**
 * Headless Chromium as the tests and the benchmark start it: Debian's (never downloaded),
 * WebGL2 through SwiftShader (a software renderer), and no network traffic of its own.
 */
export const CHROMIUM = "/usr/bin/chromium";

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
