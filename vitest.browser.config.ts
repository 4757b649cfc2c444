import { defineConfig } from "vitest/config";

// Browser tests: real headless Chromium against the built site in dist/. One Chromium at a time
// (a 2-core machine, and WebGL on SwiftShader is CPU-bound), with room for slow software rendering.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/browser/global-setup.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    teardownTimeout: 10_000,
    // expect.poll gives up after 1 s by default: too short for a page on a loaded 2-core
    // machine, where a value a page sets after a frame or two can take seconds to appear.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
