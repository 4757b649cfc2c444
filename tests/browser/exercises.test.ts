/**
 * Exercises in workshop mode, the way a learner meets them: a check that fails with its own
 * message, a fix typed in the editor, hints one at a time, the solution on request (recorded),
 * progress that survives a reload, the workshop page listing every exercise, and export / import
 * of all of it into another browser profile.
 */
import { readFile, readdir } from "node:fs/promises";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectProblems,
  gotoAndSettle,
  launchBrowser,
  settle,
  siteUrl,
  waitForHooks,
  type PageProblems,
} from "./browser.ts";
import { editorContent, editorText, replaceEditorText } from "./editor.ts";

const NOTEBOOKS = new URL("../../notebooks/", import.meta.url);
const SLIDES = new URL("../../slides/", import.meta.url);
const TENSORS = "/notebook.html?n=tensors";
const WORKSHOP = "/workshop.html";
const BRIGHTEST = "tensors/brightest";
const TO_BATCH = "tensors/to-batch";
/** Tall enough that an exercise, its panel and its check cell are on screen together. */
const TALL = { width: 1280, height: 1400 };
const WAIT_MS = 15_000;
/** The panel is added when the cell mounts: no need to wait long for it. */
const PANEL_MS = 5_000;

/** A wrong attempt: the maximum over one axis only, so six numbers come back instead of three. */
const BRIGHTEST_WRONG = "function brightest(images) {\n  return images.max(1);\n}";
const BRIGHTEST_FIXED = "function brightest(images) {\n  return images.max([1, 2]);\n}";

/** Every exercise key ("notebook/id") declared in notebooks/*.md, read from the files. */
/** Every exercise's key: those of the notebooks, then those among the decks' own cells. */
async function exercisesInNotebooks(): Promise<string[]> {
  const keys: string[] = [];
  const collect = async (folder: URL, notebookOf: (file: string) => string) => {
    const files = (await readdir(folder)).filter((file) => file.endsWith(".md")).sort();
    for (const file of files) {
      const markdown = await readFile(new URL(file, folder), "utf8");
      for (const [, info = ""] of markdown.matchAll(/^```(js\b[^\n]*)$/gm)) {
        const words = info.trim().split(/\s+/);
        if (!words.includes("exercise")) continue;
        const id = words.find((word) => word.startsWith("id="))?.slice("id=".length);
        keys.push(`${notebookOf(file.slice(0, -".md".length))}/${id ?? "(no id)"}`);
      }
    }
  };
  await collect(NOTEBOOKS, (name) => name);
  await collect(SLIDES, (name) => `deck-${name}`);
  return keys;
}

function idOf(key: string): string {
  return key.slice(key.indexOf("/") + 1);
}

function exerciseCell(page: Page, key: string): Locator {
  return page.locator(`[data-cell="${key}"]`);
}

function panel(page: Page, key: string): Locator {
  return exerciseCell(page, key).locator(".fd-exercise");
}

function panelState(page: Page, key: string): Promise<string | null> {
  return panel(page, key).getAttribute("data-state");
}

/** The exercise's check cells (on a notebook page: `data-check` holds the exercise's id). */
function checkCells(page: Page, key: string): Locator {
  return page.locator(`[data-check="${idOf(key)}"]`);
}

interface CheckSnapshot {
  state: string;
  alert: string;
}

function checkStates(page: Page, key: string): Promise<CheckSnapshot[]> {
  return checkCells(page, key).evaluateAll((elements) =>
    elements.map((element) => ({
      state: (element as HTMLElement).dataset.state ?? "",
      alert: Array.from(element.querySelectorAll<HTMLElement>("[role=alert]"))
        .filter((alert) => !alert.hidden)
        .map((alert) => alert.textContent ?? "")
        .join(" "),
    })),
  );
}

/** Brings the exercise and its checks on screen and waits until they have run. */
async function showExercise(page: Page, key: string): Promise<void> {
  const slot = page.locator(`[data-slot="${key}"]`);
  await slot.evaluate((element) => element.scrollIntoView({ block: "start" }));
  await exerciseCell(page, key).waitFor({ state: "attached", timeout: WAIT_MS });
  await checkCells(page, key).first().waitFor({ state: "attached", timeout: WAIT_MS });
  await settle(page);
}

/** Fails with a message naming the exercise unless its panel is shown. */
async function expectPanel(page: Page, key: string, where: string): Promise<void> {
  try {
    await panel(page, key).waitFor({ state: "visible", timeout: PANEL_MS });
  } catch (error) {
    const cell = await exerciseCell(page, key).evaluate((element) => ({
      exercise: element.hasAttribute("data-exercise"),
      edited: element.hasAttribute("data-edited"),
    }));
    throw new Error(
      `${where}, ${key} shows no exercise panel (.fd-exercise) ` +
        `(cell marked as exercise: ${cell.exercise}, edited: ${cell.edited})`,
      { cause: error },
    );
  }
}

function hintCount(page: Page, key: string): Promise<number> {
  return panel(page, key).locator(".fd-hints li").count();
}

function hintButton(page: Page, key: string): Locator {
  return panel(page, key).getByRole("button", { name: /^Show a hint/ });
}

/** `data-state` of every row of the workshop table, by exercise key. */
function workshopRows(page: Page): Promise<Record<string, string>> {
  return page
    .locator("tr[data-exercise]")
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((row) => [
          (row as HTMLElement).dataset.exercise ?? "",
          (row as HTMLElement).dataset.state ?? "",
        ]),
      ),
    );
}

/** The states the learner's work below should leave: everything else not started. */
function expectedStates(keys: readonly string[]): Record<string, string> {
  const states: Record<string, string> = Object.fromEntries(
    keys.map((key) => [key, "not started"]),
  );
  states[BRIGHTEST] = "passed";
  states[TO_BATCH] = "solution shown";
  return states;
}

describe("exercises and the workshop page (one browser profile, then a fresh one)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: TALL, acceptDownloads: true });
    page = await context.newPage();
    problems = collectProblems(page);
  });
  afterAll(() => browser?.close());

  it("an exercise fails with its specific message, then passes once fixed in the editor", async () => {
    await gotoAndSettle(page, siteUrl(TENSORS));
    await showExercise(page, BRIGHTEST);
    await expectPanel(page, BRIGHTEST, "on the tensors page");
    expect(await panelState(page, BRIGHTEST)).toBe("not started");
    const [check] = await checkStates(page, BRIGHTEST);
    expect(check?.state).toBe("error");
    expect(check?.alert).toContain(
      "your function returned [9] for input a tensor of shape [3, 2, 2]; expected [9, 7, 8]",
    );

    // The editor opens by itself on an exercise, with the starting code.
    await editorContent(page, BRIGHTEST).waitFor({ state: "visible", timeout: WAIT_MS });
    expect(await editorText(page, BRIGHTEST)).toContain("return images.max();");

    await replaceEditorText(page, BRIGHTEST, BRIGHTEST_WRONG);
    await page.keyboard.press("Shift+Enter");
    await expect.poll(() => panelState(page, BRIGHTEST), { timeout: WAIT_MS }).toBe("failing");
    await expect
      .poll(async () => (await checkStates(page, BRIGHTEST))[0]?.alert, { timeout: WAIT_MS })
      .toContain("your function returned [3, 9, 7, 5, 6, 8] for input");

    await replaceEditorText(page, BRIGHTEST, BRIGHTEST_FIXED);
    await page.keyboard.press("Shift+Enter");
    await expect.poll(() => panelState(page, BRIGHTEST), { timeout: WAIT_MS }).toBe("passed");
    await settle(page);
    expect(await checkStates(page, BRIGHTEST)).toEqual([{ state: "ready", alert: "" }]);
    expect(await panel(page, BRIGHTEST).locator(".fd-exercise-status").textContent()).toBe(
      "passed · 1 of 1 checks pass",
    );
  });

  it("hints are revealed one at a time, and the button goes after the last", async () => {
    await showExercise(page, TO_BATCH);
    await expectPanel(page, TO_BATCH, "on the tensors page");
    const button = hintButton(page, TO_BATCH);
    expect(await hintCount(page, TO_BATCH)).toBe(0);
    await button.click();
    expect(await hintCount(page, TO_BATCH)).toBe(1);
    expect(await button.isVisible()).toBe(true);
    await button.click();
    expect(await hintCount(page, TO_BATCH)).toBe(2);
    expect(await button.isVisible()).toBe(false);
    // Hints are help, not answers: the exercise is still not started.
    expect(await panelState(page, TO_BATCH)).toBe("not started");
  });

  it("the solution takes two clicks, is recorded as shown, and can be used", async () => {
    const solution = panel(page, TO_BATCH).locator(".fd-solution");
    expect(await solution.isVisible()).toBe(false);
    await panel(page, TO_BATCH).getByRole("button", { name: "Show the solution" }).click();
    expect(await solution.isVisible(), "one click only asks for confirmation").toBe(false);
    expect(await panelState(page, TO_BATCH)).toBe("not started");
    await panel(page, TO_BATCH)
      .getByRole("button", { name: /^Really show it/ })
      .click();
    expect(await solution.isVisible()).toBe(true);
    expect(await solution.locator("pre").textContent()).toContain("flat.reshape([8, 7, 7])");
    await expect
      .poll(() => panelState(page, TO_BATCH), { timeout: WAIT_MS })
      .toBe("solution shown");

    await solution.getByRole("button", { name: "Use this solution" }).click();
    await expect
      .poll(async () => (await checkStates(page, TO_BATCH)).map((c) => c.state), {
        timeout: WAIT_MS,
      })
      .toEqual(["ready"]);
    await settle(page);
    expect(await panelState(page, TO_BATCH)).toBe("solution shown");
  });

  it("“Use this solution” puts the solution in the exercise's (open) editor", async () => {
    // The cell now runs the solution; the editor must show what runs, or the next Shift-Enter
    // would run the starting code again.
    expect(await editorText(page, TO_BATCH)).toContain("flat.reshape([8, 7, 7])");
  });

  it("a reload keeps the progress and the hints shown", async () => {
    await page.reload({ waitUntil: "load" });
    await settle(page);
    await showExercise(page, BRIGHTEST);
    expect(await checkStates(page, BRIGHTEST)).toEqual([{ state: "ready", alert: "" }]);
    await expectPanel(page, BRIGHTEST, "after a reload");
    expect(await panelState(page, BRIGHTEST)).toBe("passed");

    await showExercise(page, TO_BATCH);
    await expectPanel(page, TO_BATCH, "after a reload");
    expect(await panelState(page, TO_BATCH)).toBe("solution shown");
    expect(await hintCount(page, TO_BATCH)).toBe(2);
    expect(await hintButton(page, TO_BATCH).isVisible()).toBe(false);
    expect(await panel(page, TO_BATCH).locator(".fd-solution").isVisible()).toBe(true);
    expect(
      await panel(page, TO_BATCH).getByRole("button", { name: "Show the solution" }).count(),
    ).toBe(0);
  });

  it("the workshop page lists every exercise of every notebook with its state", async () => {
    const keys = await exercisesInNotebooks();
    expect(keys.length, "exercises in notebooks/*.md").toBeGreaterThanOrEqual(2);
    await gotoAndSettle(page, siteUrl(WORKSHOP));
    expect(await page.locator("tr[data-exercise]").count()).toBe(keys.length);
    expect(await workshopRows(page)).toEqual(expectedStates(keys));
    expect(await page.locator(".fd-workshop-summary").textContent()).toBe(
      `1 of ${keys.length} exercises passed.`,
    );
    expect(await page.locator(`tr[data-exercise="${BRIGHTEST}"] a`).textContent()).toBe(
      "Exercise 2: the brightest pixel of each image",
    );
  });

  it("a workshop link opens the notebook with the exercise on screen", async () => {
    await page.locator(`tr[data-exercise="${BRIGHTEST}"] a`).click();
    await page.waitForURL(/\/notebook\.html\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get("n")).toBe("tensors");
    expect(url.hash).toBe("#brightest");
    await waitForHooks(page);
    await settle(page);
    const onScreen = () =>
      exerciseCell(page, BRIGHTEST).evaluate((element) => {
        const box = element.getBoundingClientRect();
        return box.top < window.innerHeight && box.bottom > 0
          ? "on screen"
          : `top at ${Math.round(box.top)} px in a ${window.innerHeight} px window`;
      });
    await expect.poll(onScreen, { timeout: WAIT_MS }).toBe("on screen");
  });

  it("export downloads a JSON file that restores the states and edits in a fresh profile", async () => {
    await gotoAndSettle(page, siteUrl(WORKSHOP));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('button[data-action="export"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^flowdeck-work-\d{4}-\d{2}-\d{2}\.json$/);
    const exportPath = await download.path();
    const exported = JSON.parse(await readFile(exportPath, "utf8")) as {
      format?: unknown;
      records?: Record<string, unknown>;
    };
    expect(exported.format).toBe("flowdeck-export");
    expect(Object.keys(exported.records ?? {})).toContain("flowdeck:progress");

    const keys = await exercisesInNotebooks();
    const fresh = await browser.newContext({ viewport: TALL });
    try {
      const other = await fresh.newPage();
      const otherProblems = collectProblems(other);
      await gotoAndSettle(other, siteUrl(WORKSHOP));
      expect(Object.values(await workshopRows(other))).toEqual(keys.map(() => "not started"));
      await other.locator('input[data-action="import"]').setInputFiles(exportPath);
      await expect
        .poll(() => workshopRows(other), { timeout: WAIT_MS })
        .toEqual(expectedStates(keys));

      // The edits came along too, held until the reader accepts them (code from a file never
      // runs unasked); once run, the fixed exercise passes in the other profile.
      await gotoAndSettle(other, siteUrl(TENSORS));
      await showExercise(other, BRIGHTEST);
      const held = exerciseCell(other, BRIGHTEST).locator(".fd-notice").first();
      await expect.poll(() => held.textContent()).toMatch(/imported from a file\. It has not run/);
      await held.getByRole("button", { name: "Run it" }).click();
      await settle(other);
      expect(await exerciseCell(other, BRIGHTEST).getAttribute("data-edited")).toBe("");
      expect(await checkStates(other, BRIGHTEST)).toEqual([{ state: "ready", alert: "" }]);
      expect(otherProblems.pageErrors).toEqual([]);
    } finally {
      await fresh.close();
    }
    expect(problems.pageErrors).toEqual([]);
  });
});
