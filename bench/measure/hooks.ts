/** Waiting on `window.flowdeck` from Node, with timeouts (a cell that never settles is a finding). */
import type { Page } from "playwright-core";

export async function waitReady(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(() => window.flowdeck !== undefined, undefined, {
    timeout: timeoutMs,
  });
  const ok = await page.evaluate(
    (ms) =>
      Promise.race([
        window.flowdeck.ready.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
      ]),
    timeoutMs,
  );
  if (!ok) throw new Error(`flowdeck.ready did not resolve within ${timeoutMs} ms`);
}

/** True if `flowdeck.settled()` resolved within the timeout. */
export function settle(page: Page, timeoutMs = 30_000): Promise<boolean> {
  return page.evaluate(
    (ms) =>
      Promise.race([
        window.flowdeck.settled().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
      ]),
    timeoutMs,
  );
}
