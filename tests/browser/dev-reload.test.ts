/**
 * In development, saving a notebook redefines only the cells that changed: the page is not
 * reloaded, a changed cell and its dependents update, and an unrelated loop keeps its state.
 * Runs against Vite's dev server (not the built site) and edits notebooks/selftest.md in place,
 * restoring it afterwards.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { ViteDevServer } from "vite";
import { createServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domCell, openSession, settle, waitForHooks, type Session } from "./browser.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NOTEBOOK = fileURLToPath(new URL("../../notebooks/selftest.md", import.meta.url));
const BEFORE = "tf.tensor1d([1, 2, 3, 4])";
const AFTER = "tf.tensor1d([1, 2, 3, 5])";

describe("hot reload in dev (vite dev server)", () => {
  let server: ViteDevServer;
  let session: Session;
  let original: string;

  beforeAll(async () => {
    original = await readFile(NOTEBOOK, "utf8");
    expect(original).toContain(BEFORE);
    server = await createServer({
      root: ROOT,
      configFile: fileURLToPath(new URL("../../vite.config.ts", import.meta.url)),
      logLevel: "silent",
      server: { host: "127.0.0.1", port: 0, strictPort: false },
    });
    await server.listen();
    session = await openSession();
  }, 120_000);

  afterAll(async () => {
    if (original !== undefined) await writeFile(NOTEBOOK, original);
    await session?.close();
    await server?.close();
  });

  it("a saved change redefines that cell and its dependents, and nothing else", async () => {
    const { page } = session;
    const url = server.resolvedUrls?.local[0] ?? "";
    await page.goto(new URL("notebook.html?n=selftest", url).href);
    await waitForHooks(page);
    await settle(page);
    expect((await domCell(page, "selftest/ok")).output).toContain("= 10");
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1; // gone if the page reloads
    });
    const counter = async () => Number((await domCell(page, "selftest/counter")).output);
    // Let the loop run well past what a restart could reach again before the checks below.
    await expect.poll(counter, { timeout: 30_000 }).toBeGreaterThan(120);

    try {
      const beforeSave = await counter();
      await writeFile(NOTEBOOK, original.replace(BEFORE, AFTER));
      await expect
        .poll(async () => (await domCell(page, "selftest/ok")).output, { timeout: 30_000 })
        .toContain("= 11");
      await expect
        .poll(async () => (await domCell(page, "selftest/independent")).output)
        .toContain("22");
      // The unrelated generator went on from where it was instead of starting again at 0.
      expect(await counter()).toBeGreaterThanOrEqual(beforeSave);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    } finally {
      await writeFile(NOTEBOOK, original);
    }
    await expect
      .poll(async () => (await domCell(page, "selftest/ok")).output, { timeout: 30_000 })
      .toContain("= 10");
  });
});
