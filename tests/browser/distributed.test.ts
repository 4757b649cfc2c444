/**
 * Data-parallel training on real Web Workers, on the deck's demo slide: synchronous and
 * asynchronous runs lower the loss, a worker killed mid-run neither stops training nor loses the
 * weights, and leaving the slide terminates every worker (counted by wrapping `Worker`), frees
 * the page's tensors, and coming back resumes from the checkpoint.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gotoAndSettle, memory, openSession, settle, siteUrl, type Session } from "./browser.ts";

const DEMO = ".fd-distributed";
const STATUS = `${DEMO} [data-distributed-status]`;

interface Status {
  step: number;
  loss: number;
  running: boolean;
}

function status(page: Page): Promise<Status> {
  return page.locator(STATUS).evaluate((el) => {
    const d = (el as HTMLElement).dataset;
    return { step: Number(d.step), loss: Number(d.loss), running: d.running === "true" };
  });
}

const liveWorkers = (page: Page) =>
  page.evaluate(() => (window as unknown as { __members: number }).__members);
/** the run's coordinator lives in a worker of its own */
const liveCoordinators = (page: Page) =>
  page.evaluate(() => (window as unknown as { __coordinators: number }).__coordinators);

async function select(page: Page, name: string, label: string): Promise<void> {
  await page.locator(`${DEMO} select[name=${name}]`).selectOption({ label });
}

async function stepsPass(page: Page, count: number, timeout = 60_000): Promise<Status> {
  const from = (await status(page)).step;
  await expect
    .poll(async () => (await status(page)).step, { timeout, interval: 200 })
    .toBeGreaterThanOrEqual(from + count);
  return status(page);
}

describe("distributed training on Web Workers", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: { width: 1280, height: 800 } });
    await session.page.addInitScript(() => {
      const w = window as unknown as {
        __members: number;
        __coordinators: number;
        Worker: typeof Worker;
      };
      const Real = w.Worker;
      w.__members = 0;
      w.__coordinators = 0;
      w.Worker = class extends Real {
        #kind: "__members" | "__coordinators" | undefined;
        #ended = false;
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          this.#kind =
            options?.name === "distributed-member"
              ? "__members"
              : options?.name === "distributed-coordinator"
                ? "__coordinators"
                : undefined;
          if (this.#kind) w[this.#kind]++;
        }
        override terminate(): void {
          if (this.#kind && !this.#ended) w[this.#kind]--;
          this.#ended = true;
          super.terminate();
        }
      };
    });
  }, 60_000);
  afterAll(() => session?.close());

  it("trains synchronously, survives a killed worker, trains asynchronously, and stops when left", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/"));
    const baseline = await memory(page);
    await page.evaluate(() => (location.hash = "#/data-parallel-demo"));
    await page.locator(DEMO).waitFor({ timeout: 30_000 });
    expect(await liveWorkers(page)).toBe(0); // nothing runs before Train

    // synchronous, parameter server, 2 workers
    await select(page, "workers", "2");
    expect(await liveWorkers(page)).toBe(2);
    expect(await liveCoordinators(page)).toBe(1);
    const early = await stepsPass(page, 5, 90_000);
    const trained = await stepsPass(page, 60);
    expect(trained.loss).toBeLessThan(Math.min(1.5, early.loss));

    // kill worker 1: the step times out, training goes on with worker 0, weights kept
    await page.click(`${DEMO} [data-kill="1"]`);
    expect(await liveWorkers(page)).toBe(1);
    const after = await stepsPass(page, 20);
    expect(after.loss).toBeLessThan(1.5);
    await expect.poll(() => page.locator(DEMO).textContent()).toMatch(/gradients dropped|training/);
    await page.click(`${DEMO} [data-restart="1"]`);
    expect(await liveWorkers(page)).toBe(2);
    await stepsPass(page, 10);

    // synchronous ring all-reduce, member to member: a new run; a killed worker stalls the ring
    // until the coordinator's timeout, then the other trains on alone, and the restarted one
    // joins a new ring
    await select(page, "aggregation", "ring all-reduce");
    expect(await liveWorkers(page)).toBe(2);
    const ringTrained = await stepsPass(page, 60);
    expect(ringTrained.loss).toBeLessThan(1.5);
    await page.click(`${DEMO} [data-kill="1"]`);
    expect(await liveWorkers(page)).toBe(1);
    expect((await stepsPass(page, 20)).loss).toBeLessThan(1.5);
    await page.click(`${DEMO} [data-restart="1"]`);
    await expect
      .poll(() => page.locator(STATUS).getAttribute("data-workers"), { timeout: 30_000 })
      .toBe("2");
    await stepsPass(page, 10);

    // asynchronous: a new run from the initial weights
    await select(page, "mode", "asynchronous");
    expect(await liveWorkers(page)).toBe(2);
    await expect.poll(async () => (await status(page)).step, { timeout: 30_000 }).toBeLessThan(5);
    // A new run starts from the initial weights, at chance (ln 10 ≈ 2.3 for ten digits). One
    // batch's loss is noisy, stale gradients make it noisier: judge it against chance, not
    // against another single batch.
    const asyncTrained = await stepsPass(page, 85);
    expect(asyncTrained.loss).toBeLessThan(1.2);
    expect(await page.locator(STATUS).textContent()).toMatch(/staleness \d/);

    // leave the slide: no worker left, the page's tensors back to where they were
    const left = (await status(page)).step;
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("ArrowRight");
    await settle(page);
    await expect.poll(() => liveWorkers(page), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => liveCoordinators(page), { timeout: 10_000 }).toBe(0);
    expect((await memory(page)).numTensors).toBe(baseline.numTensors);

    // come back: training resumes from the checkpoint, not from step 0
    await page.evaluate(() => (location.hash = "#/data-parallel-demo"));
    await page.locator(DEMO).waitFor({ timeout: 30_000 });
    await expect.poll(() => liveWorkers(page), { timeout: 10_000 }).toBe(2);
    const resumed = await status(page);
    expect(resumed.step).toBeGreaterThanOrEqual(left - 40); // checkpointed within a second
    await stepsPass(page, 5);
  }, 300_000);

  it("under 'wait for it', a killed worker is still waited for after Pause and Train, until restarted", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl("/"));
    await page.evaluate(() => (location.hash = "#/data-parallel-demo"));
    await page.locator(DEMO).waitFor({ timeout: 30_000 });
    await select(page, "workers", "2");
    await select(page, "mode", "synchronous");
    await select(page, "aggregation", "ring all-reduce");
    await select(page, "onTimeout", "wait for it");
    await expect.poll(() => liveWorkers(page), { timeout: 10_000 }).toBe(2);
    await stepsPass(page, 20, 90_000);

    await page.click(`${DEMO} [data-kill="1"]`);
    await expect
      .poll(() => page.locator(STATUS).textContent())
      .toMatch(/^waiting for worker 1 \(restart it\)/);
    // past the 2 s timeout and the 2 s the halted ring waits for the dead member's answer (the
    // steps done before the kill are recorded then): the run waits, it does not go on alone
    await page.waitForTimeout(6000);
    const stalled = (await status(page)).step;
    await page.waitForTimeout(2000);
    expect((await status(page)).step).toBe(stalled);

    // Pause, then Train: the killed worker stays dead and the run still waits for it
    const train = page.locator(`${DEMO} button`, { hasText: /^(Pause|Train)$/ });
    await train.click();
    await expect.poll(() => train.textContent()).toBe("Train");
    await expect.poll(() => liveWorkers(page), { timeout: 10_000 }).toBe(0);
    await train.click();
    await expect.poll(() => liveWorkers(page), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => page.locator(STATUS).textContent())
      .toMatch(/^waiting for worker 1 \(restart it\)/);
    await page.waitForTimeout(3000);
    expect((await status(page)).step).toBe(stalled);

    // restarted, it is back in the ring: training goes on with both
    await page.click(`${DEMO} [data-restart="1"]`);
    await stepsPass(page, 20);
    await expect.poll(() => page.locator(STATUS).textContent()).toMatch(/^training/);
    await expect
      .poll(() => page.locator(STATUS).getAttribute("data-workers"), { timeout: 30_000 })
      .toBe("2");
  }, 240_000);
});
