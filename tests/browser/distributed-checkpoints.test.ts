/**
 * Checkpoints of the data-parallel demo in IndexedDB: a reload resumes the run where it was, and
 * where IndexedDB cannot take them (storage full) training goes on, checkpointed in memory,
 * with the reason shown.
 */
import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { gotoAndSettle, openSession, siteUrl, type Session } from "./browser.ts";

const DEMO = ".fd-distributed";
const STATUS = `${DEMO} [data-distributed-status]`;
const PROBLEM = `${DEMO} [data-checkpoint-problem]`;

const step = (page: Page) =>
  page.locator(STATUS).evaluate((el) => Number((el as HTMLElement).dataset.step));

/** the step of the newest checkpoint IndexedDB holds, or -1 */
const savedStep = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open("flowdeck-distributed", 1);
        open.onerror = () => resolve(-1);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("checkpoints")) return resolve(-1);
          const all = db.transaction("checkpoints").objectStore("checkpoints").getAll();
          all.onsuccess = () => {
            const rows = all.result as Array<{ savedAt: number; checkpoint: { step: number } }>;
            rows.sort((a, b) => b.savedAt - a.savedAt);
            db.close();
            resolve(rows[0]?.checkpoint.step ?? -1);
          };
          all.onerror = () => resolve(-1);
        };
      }),
  );

async function openDemo(page: Page): Promise<void> {
  await gotoAndSettle(page, siteUrl("/#/data-parallel-demo"));
  await page.locator(DEMO).waitFor({ timeout: 30_000 });
}

describe("distributed checkpoints", () => {
  let session: Session | undefined;
  afterEach(() => session?.close());

  it("survive a reload: the run resumes from IndexedDB, not from step 0", async () => {
    session = await openSession();
    const { page } = session;
    await openDemo(page);
    await page.locator(`${DEMO} select[name=workers]`).selectOption({ label: "1" });
    await expect.poll(() => step(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(40);
    await expect.poll(() => savedStep(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(30);
    const saved = await savedStep(page);
    expect(await page.locator(PROBLEM).textContent()).toBe("");

    await page.reload();
    await page.locator(DEMO).waitFor({ timeout: 30_000 });
    // the demo picks the run up as it was: training, from the saved step onwards
    await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(saved);
    const first = await page
      .locator(STATUS)
      .evaluate((el) => Number((el as HTMLElement).dataset.step));
    expect(first).toBeGreaterThanOrEqual(saved);
    await expect.poll(() => page.locator(DEMO).textContent()).toMatch(/1 worker .*\(resumed\)/);
  }, 240_000);

  it("fall back to memory with the reason when IndexedDB is full, and training goes on", async () => {
    session = await openSession();
    const { page } = session;
    await page.addInitScript(() => {
      IDBObjectStore.prototype.put = function () {
        throw new DOMException("the quota has been exceeded", "QuotaExceededError");
      };
    });
    await openDemo(page);
    await page.locator(`${DEMO} select[name=workers]`).selectOption({ label: "1" });
    await expect
      .poll(() => page.locator(PROBLEM).textContent(), { timeout: 60_000 })
      .toMatch(/memory only: .*storage for this site is full.*a reload will start afresh/);
    const before = await step(page);
    await expect.poll(() => step(page), { timeout: 30_000 }).toBeGreaterThan(before + 20);
  }, 240_000);
});
