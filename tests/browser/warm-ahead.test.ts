/**
 * Loading ahead: a slide left idle loads what the next slides' cells need (here TensorFlow.js)
 * without running any of them; arriving there then finds it loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backend,
  cells,
  gotoAndSettle,
  memory,
  openSession,
  settle,
  siteUrl,
  type Session,
} from "./browser.ts";
import { pressOnDeck } from "./deck.ts";

describe("a slide left idle loads the next slides' needs, and runs none of their cells", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
  }, 60_000);
  afterAll(() => session?.close());

  it("loads TensorFlow.js two slides before the first cell that uses it", async () => {
    const { page } = session;
    // "What is TensorFlow?": no cells; the autodiff slide two steps on uses tf.
    await gotoAndSettle(page, siteUrl("/#/21/0"));
    expect(await backend(page)).toBe("");
    await expect.poll(() => backend(page), { timeout: 20_000, interval: 200 }).not.toBe("");
    // Loaded, not run: no cell of the next slides is shown, none made a tensor.
    expect((await cells(page)).filter((c) => c.notebook === "tensorflow")).toEqual([]);
    expect((await memory(page)).numTensors).toBe(0);
    expect(await page.locator("[data-cell^='tensorflow/']").count()).toBe(0);
    await pressOnDeck(page, "n"); // TensorFlow
    await settle(page);
    await pressOnDeck(page, "n"); // its fragment
    await pressOnDeck(page, "n"); // Automatic differentiation, live
    await settle(page);
    await expect
      .poll(() => page.locator("[data-cell='tensorflow/grad-chart']").getAttribute("data-state"))
      .toBe("ready");
  }, 60_000);
});
