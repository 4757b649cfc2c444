import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EDITS_FORMAT, editsKey, type NotebookEdits } from "../../src/workshop/edits.ts";
import { encodeRecord } from "../../src/workshop/stored-record.ts";
import {
  cells,
  collectProblems,
  domCell,
  domCells,
  expectAllReady,
  expectNoCellErrors,
  framesPass,
  gotoAndSettle,
  launchBrowser,
  memory,
  settle,
  siteUrl,
  type PageProblems,
} from "./browser.ts";
import { PRESENT_SLIDE, pressOnDeck, reachSlideWithCell, slidePosition } from "./deck.ts";
import {
  QUARANTINE_PREFIX,
  cellLocator,
  editAndRun,
  editorButton,
  editorContent,
  editorText,
  isFocused,
  openEditor,
  replaceEditorText,
  INDEPENDENT,
  newTab as openTab,
  OK,
  SELFTEST,
  storageEntries,
  TALL,
  storedEdits,
  storedEditsText,
} from "./editor.ts";
import { SELFTEST_FAILING } from "./site.ts";

const COUNTER = "selftest/counter";
const LEAK_CHECK = "selftest/leak-check";
/** `ok` sums this tensor; the edits below sum one more number. */
const AUTHOR_TENSOR = "[1, 2, 3, 4]";
const EDITED_TENSOR = "[1, 2, 3, 4, 5]";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

interface Tab {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
}

async function newTab(viewport = TALL, seed?: Record<string, string>): Promise<Tab> {
  const tab = await openTab(browser, { viewport, ...(seed && { seed }) });
  return { ...tab, problems: collectProblems(tab.page) };
}

function text(page: Page, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .textContent()
    .then((t) => (t ?? "").trim());
}

const total = (page: Page) => text(page, `[data-cell="${OK}"] .selftest-total`);
const doubled = (page: Page) => text(page, `[data-cell="${INDEPENDENT}"] .selftest-doubled`);

async function counterValue(page: Page): Promise<number> {
  const shown = await text(page, `[data-cell="${COUNTER}"] .fd-output`);
  const value = Number.parseInt(shown, 10);
  if (Number.isNaN(value)) throw new Error(`The counter shows "${shown}", not a number`);
  return value;
}

/** Records every value the counter shows from now on, in the page (`window.counterSeen`). */
function recordCounter(page: Page): Promise<void> {
  return page.evaluate((selector) => {
    const output = document.querySelector(selector);
    if (!output) throw new Error(`${selector} is missing`);
    const seen: number[] = [];
    (window as unknown as { counterSeen: number[] }).counterSeen = seen;
    new MutationObserver(() => {
      const value = Number.parseInt(output.textContent ?? "", 10);
      if (!Number.isNaN(value)) seen.push(value);
    }).observe(output, { subtree: true, childList: true, characterData: true });
  }, `[data-cell="${COUNTER}"] .fd-output`);
}

function counterSeen(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { counterSeen: number[] }).counterSeen);
}

/** The author's source of `ok`, as the editor shows it, with one more number in the sum. */
function withFiveNumbers(authorSource: string): string {
  expect(authorSource).toContain(AUTHOR_TENSOR);
  return authorSource.replace(AUTHOR_TENSOR, EDITED_TENSOR);
}

/** Settles, then fails if a cell other than the self-test's deliberate failures is in error. */
async function settleWithoutNewErrors(page: Page): Promise<void> {
  await settle(page);
  await expectNoCellErrors(page, "on the self-test page", SELFTEST_FAILING);
}

describe("editing a cell on a notebook page (one browser profile)", () => {
  let tab: Tab;
  /** `ok` as the notebook defines it, and the reader's edit of it */
  let authorSource = "";
  let editedSource = "";

  beforeAll(async () => {
    tab = await newTab();
  });
  afterAll(() => tab?.context.close());

  it("Shift-Enter runs the edit: its dependent updates, an unrelated generator keeps counting", async () => {
    const { page } = tab;
    await gotoAndSettle(page, siteUrl(SELFTEST));
    expect(await total(page)).toBe("10");
    expect(await doubled(page)).toBe("20");
    await cellLocator(page, COUNTER).scrollIntoViewIfNeeded();
    await expect.poll(() => counterValue(page), { timeout: 20_000 }).toBeGreaterThan(20);
    // `leak-check` does not read `total`: its output element must survive the edit.
    await page.locator(`[data-cell="${LEAK_CHECK}"] .fd-output p`).evaluate((p) => {
      p.dataset.beforeEdit = "yes";
    });

    await openEditor(page, OK);
    authorSource = await editorText(page, OK);
    editedSource = withFiveNumbers(authorSource);
    await replaceEditorText(page, OK, editedSource);
    await cellLocator(page, COUNTER).scrollIntoViewIfNeeded();
    await recordCounter(page);
    const atRun = await counterValue(page);
    await editorContent(page, OK).focus();
    await page.keyboard.press("Shift+Enter");

    await expect.poll(() => total(page), { timeout: 10_000 }).toBe("15");
    await expect.poll(() => doubled(page), { timeout: 10_000 }).toBe("30");
    await settleWithoutNewErrors(page);
    expect(await cellLocator(page, OK).getAttribute("data-edited")).not.toBeNull();
    expect(await cellLocator(page, INDEPENDENT).getAttribute("data-edited")).toBeNull();
    // The counter went on from where it was, never back to 0.
    await expect.poll(() => counterValue(page), { timeout: 10_000 }).toBeGreaterThan(atRun + 5);
    const seen = await counterSeen(page);
    expect(seen.length, "values the counter showed after the run").toBeGreaterThan(5);
    const drops = seen.filter((value, i) => i > 0 && value < (seen[i - 1] ?? 0));
    expect(drops, `counter values after the run: ${seen.slice(0, 40).join(", ")}…`).toEqual([]);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(atRun);
    expect(
      await page.locator(`[data-cell="${LEAK_CHECK}"] .fd-output p[data-before-edit]`).count(),
      "leak-check re-ran although it does not depend on the edited cell",
    ).toBe(1);
    const stored = await storedEdits(page, "selftest");
    expect(stored?.ok).toMatchObject({ source: editedSource, baseSource: authorSource });
  });

  it("the edit survives a reload: applied, marked, and shown in the editor", async () => {
    const { page } = tab;
    expect(editedSource, "the previous test made an edit").not.toBe("");
    await gotoAndSettle(page, siteUrl(SELFTEST));
    expect(await total(page)).toBe("15");
    expect(await doubled(page)).toBe("30");
    expect(await cellLocator(page, OK).getAttribute("data-edited")).not.toBeNull();
    await openEditor(page, OK);
    expect(await editorText(page, OK)).toBe(editedSource);
  });

  it("a draft typed but not run survives a crashed tab", async () => {
    const { context, page } = tab;
    const draft = editedSource.replace(EDITED_TENSOR, "[1, 2, 3, 4, 5, 6]");
    await replaceEditorText(page, OK, draft);
    // The draft is saved a moment after typing stops (no Run, no Close, no unload).
    await expect
      .poll(async () => (await storedEdits(page, "selftest"))?.ok?.draft, { timeout: 5_000 })
      .toBe(draft);
    const cdp = await context.newCDPSession(page);
    const crashed = page.waitForEvent("crash");
    // The renderer dies before it answers: the command's promise never settles.
    void cdp.send("Page.crash").catch(() => undefined);
    await crashed;
    await page.close();

    const reopened = await context.newPage();
    tab.page = reopened;
    tab.problems = collectProblems(reopened);
    await gotoAndSettle(reopened, siteUrl(SELFTEST));
    // What runs is what was last run; the editor offers the draft.
    expect(await total(reopened)).toBe("15");
    await openEditor(reopened, OK);
    expect(await editorText(reopened, OK)).toBe(draft);
  });

  it("Compare shows both versions; Reset restores the author's code and forgets the edit", async () => {
    const { page } = tab;
    await editorButton(page, OK, "Compare").click();
    const diff = cellLocator(page, OK).locator(".fd-diff");
    await diff.waitFor({ state: "visible" });
    await expect.poll(() => diff.textContent()).toContain(AUTHOR_TENSOR);
    const shown = (await diff.textContent()) ?? "";
    expect(shown).toContain("[1, 2, 3, 4, 5, 6]");
    expect(shown).toMatch(/notebook/);
    expect(shown).toMatch(/yours/);
    await editorButton(page, OK, "Compare").click();
    expect(await diff.count(), "Compare again hides the diff").toBe(0);

    await editorButton(page, OK, "Reset").click();
    await expect.poll(() => editorText(page, OK)).toBe(authorSource);
    await expect.poll(() => total(page), { timeout: 10_000 }).toBe("10");
    await expect.poll(() => doubled(page), { timeout: 10_000 }).toBe("20");
    expect(await cellLocator(page, OK).getAttribute("data-edited")).toBeNull();
    expect(await storedEditsText(page, "selftest")).toBeNull();
    // Nor does the draft timer bring it back: a timer of 400 ms, so no event but time to wait for.
    await page.waitForTimeout(1200);
    expect(await storedEditsText(page, "selftest")).toBeNull();
    await page.keyboard.press("Escape");
    await gotoAndSettle(page, siteUrl(SELFTEST));
    expect(await total(page)).toBe("10");
    expect(await cellLocator(page, OK).getAttribute("data-edited")).toBeNull();
  });
});

describe("an edit made against an older version of the cell", () => {
  let tab: Tab;
  const mine =
    'const total = 15;\ndisplay(html`<p>mine: <strong class="selftest-total">${total}</strong></p>`);';
  afterAll(() => tab?.context.close());

  it("runs the author's version, says so, compares both, and runs mine on request", async () => {
    const edits: NotebookEdits = {
      ok: { source: mine, baseSource: "const total = 1; // an older deploy", savedAt: 1 },
    };
    tab = await newTab(TALL, { [editsKey("selftest")]: encodeRecord(EDITS_FORMAT, edits) });
    const { page } = tab;
    await gotoAndSettle(page, siteUrl(SELFTEST));
    expect(await total(page), "the author's updated cell runs, not the old edit").toBe("10");
    const notice = cellLocator(page, OK).locator(".fd-notice");
    await notice.waitFor({ state: "visible" });
    expect(await notice.textContent()).toMatch(/changed after you edited/);
    expect(await cellLocator(page, OK).getAttribute("data-edited")).not.toBeNull();

    await notice.getByRole("button", { name: "Compare" }).click();
    const diff = notice.locator(".fd-diff");
    await diff.waitFor({ state: "visible" });
    await expect.poll(() => diff.textContent()).toContain(AUTHOR_TENSOR);
    expect(await diff.textContent()).toContain("mine:");

    await notice.getByRole("button", { name: "Use my edit" }).click();
    await expect.poll(() => total(page), { timeout: 10_000 }).toBe("15");
    await expect.poll(() => doubled(page), { timeout: 10_000 }).toBe("30");
    await expect.poll(() => notice.isVisible()).toBe(false);
    const stored = await storedEdits(page, "selftest");
    expect(stored?.ok?.source).toBe(mine);
    expect(stored?.ok?.baseSource).toContain(AUTHOR_TENSOR);
  });
});

describe("bad records in storage are set aside, reported, and the page still runs", () => {
  const key = editsKey("selftest");
  const good: NotebookEdits = {
    ok: {
      source: "const total = 15;",
      baseSource: "const total = 1;",
      savedAt: 1,
    },
  };
  const valid = encodeRecord(EDITS_FORMAT, good);
  const altered = valid.replace("const total = 15;", "const total = 16;");
  const variants: Array<[string, string]> = [
    ["garbage", "{this is not JSON"],
    ["a truncated record", valid.slice(0, Math.floor(valid.length * 0.6))],
    ["a record altered after its checksum", altered],
    ["a record of another format", encodeRecord("someone-elses-format", good)],
    ["JSON that is no Flowdeck record", JSON.stringify({ hello: "world" })],
  ];
  let tab: Tab | undefined;
  afterEach(() => tab?.context.close());

  it.each(variants)("%s", async (_, bad) => {
    expect(bad).not.toBe(valid);
    tab = await newTab({ width: 1280, height: 800 }, { [key]: bad });
    const { page, problems } = tab;
    await gotoAndSettle(page, siteUrl(SELFTEST));
    expect(await total(page), "the notebook's own code runs").toBe("10");
    await expectAllReady(page, "with a bad record in storage", SELFTEST_FAILING);
    const notices = page.locator(".fd-notices .fd-notice");
    await expect.poll(() => notices.count()).toBeGreaterThan(0);
    const said = (await notices.allTextContents()).join(" | ");
    expect(said).toContain(key);
    expect(said).toMatch(/could not be read/);
    expect(said).toContain(QUARANTINE_PREFIX);
    expect(await storedEditsText(page, "selftest"), "the bad value left its key").toBeNull();
    const quarantined = await storageEntries(page, QUARANTINE_PREFIX);
    expect(quarantined).toHaveLength(1);
    const [movedTo, value] = quarantined[0] ?? ["", ""];
    expect(movedTo).toMatch(new RegExp(`^${QUARANTINE_PREFIX}\\d+:${key}$`));
    expect(value, "kept byte for byte").toBe(bad);
    expect(said).toContain(movedTo);
    expect(problems.pageErrors).toEqual([]);
  });
});

describe("?safe: no cell runs until the reader starts it", () => {
  let tab: Tab;
  beforeAll(async () => {
    tab = await newTab({ width: 1280, height: 800 });
  });
  afterAll(() => tab?.context.close());

  it("mounts every cell without running it; Run runs one cell and what it needs; Run all runs the rest", async () => {
    const { page } = tab;
    await gotoAndSettle(page, siteUrl(`${SELFTEST}&safe`));
    // Settled: nothing is loading or running, so nothing can start by itself any more.
    const status = await cells(page);
    expect(status.length).toBeGreaterThan(5);
    expect(status.filter((c) => c.state !== "pending")).toEqual([]);
    const mounted = await domCells(page);
    const ran = mounted.filter((c) => c.state !== "pending" || c.output.trim());
    // Soft: the Run buttons below are worth checking even when this fails.
    expect
      .soft(
        ran.map((c) => `${c.key} (${c.state}): ${c.output.trim().slice(0, 50)}`),
        "cells that ran (or show an output) in safe mode",
      )
      .toEqual([]);
    expect.soft((await memory(page)).numTensors, "tensors alive before any cell was run").toBe(0);
    // Every cell offers Run, an inline `${…}` one in its panel included.
    expect(await page.locator(".fd-run-button").count()).toBe(mounted.length);
    const notice = page.locator(".fd-notices .fd-notice", { hasText: "Safe mode" });
    await notice.waitFor({ state: "visible" });

    // `independent` needs `total` from `ok`: both compute, nothing else does.
    await cellLocator(page, INDEPENDENT).locator(".fd-run-button").click();
    await expect.poll(() => doubled(page), { timeout: 20_000 }).toBe("20");
    await settle(page);
    expect((await domCell(page, INDEPENDENT)).state).toBe("ready");
    for (const key of [COUNTER, LEAK_CHECK, "selftest/runaway", "selftest/throws"]) {
      const cell = await domCell(page, key);
      expect.soft(cell, `${key} after Run on ${INDEPENDENT}`).toMatchObject({
        state: "pending",
        output: "",
      });
    }

    await notice.getByRole("button", { name: "Run all" }).click();
    await expect
      .poll(async () => (await cells(page)).filter((c) => c.state === "pending").length, {
        timeout: 20_000,
      })
      .toBe(0);
    // The counter counts while on screen (the Run button scrolled the page away from it).
    await cellLocator(page, COUNTER).scrollIntoViewIfNeeded();
    await expect.poll(() => counterValue(page), { timeout: 10_000 }).toBeGreaterThan(0);
    await settle(page);
    await expectAllReady(page, "after Run all", SELFTEST_FAILING);
    expect((await domCell(page, "selftest/runaway")).state).toBe("error");
    expect(await total(page)).toBe("10");
  });
});

describe("an edited cell that loops forever", () => {
  let tab: Tab;
  beforeAll(async () => {
    tab = await newTab();
  });
  afterAll(() => tab?.context.close());

  it("is stopped after about 2 s; the other cells still update", async () => {
    const { page } = tab;
    await gotoAndSettle(page, siteUrl(SELFTEST));
    await editAndRun(page, LEAK_CHECK, "let n = 0;\nwhile (true) {}");
    const started = Date.now(); // Shift-Enter was just pressed
    await expect
      .poll(async () => (await domCell(page, LEAK_CHECK)).state, { timeout: 8_000, interval: 100 })
      .toBe("error");
    expect(Date.now() - started, "stopped within about 2 s").toBeLessThan(4_500);
    const alert = (await domCell(page, LEAK_CHECK)).alert;
    expect(alert).toContain(LEAK_CHECK);
    expect(alert).toMatch(/more than 2 s/);
    const roundTrip = Date.now();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(Date.now() - roundTrip, "the page answers").toBeLessThan(1_000);

    // Another cell, edited and run afterwards, still updates its dependents.
    await openEditor(page, OK);
    await replaceEditorText(page, OK, withFiveNumbers(await editorText(page, OK)));
    await page.keyboard.press("Shift+Enter");
    await expect.poll(() => doubled(page), { timeout: 10_000 }).toBe("30");
    await cellLocator(page, COUNTER).scrollIntoViewIfNeeded();
    const before = await counterValue(page);
    await expect.poll(() => counterValue(page), { timeout: 10_000 }).toBeGreaterThan(before);
    expect((await domCell(page, LEAK_CHECK)).state).toBe("error");
  });
});

/** Where a character of the editor's text is drawn, and where it sits in the text. */
interface CharSpot {
  line: number;
  column: number;
  x: number;
  y: number;
  char: string;
}

/**
 * A letter inside the first word of at least four letters in the editor's first lines: its
 * line and column in the text, and a point on its left quarter (CodeMirror puts the cursor at
 * the nearest character boundary, which is just before it).
 */
function findLetter(page: Page, selector: string): Promise<CharSpot> {
  return page.evaluate((sel) => {
    const content = document.querySelector(sel);
    if (!content) throw new Error(`${sel} is missing`);
    const lines = Array.from(content.querySelectorAll(".cm-line")).slice(0, 4);
    for (const [line, element] of lines.entries()) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let column = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const value = node.nodeValue ?? "";
        const match = /[A-Za-z]{4,}/.exec(value);
        if (match) {
          const offset = match.index + 2;
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          const rect = range.getBoundingClientRect();
          return {
            line,
            column: column + offset,
            x: rect.left + rect.width * 0.25,
            y: rect.top + rect.height / 2,
            char: value[offset] ?? "",
          };
        }
        column += value.length;
      }
    }
    throw new Error("No word of four letters in the editor's first lines");
  }, selector);
}

/**
 * The letter's spot once it stops moving: right after the editor opens, the slide may still be
 * refitting (its scale changes with its content) and a click measured mid-way lands a column off.
 */
async function steadyLetter(page: Page, selector: string): Promise<CharSpot> {
  let last = await findLetter(page, selector);
  for (let tries = 0; tries < 50; tries++) {
    await framesPass(page, 3);
    const spot = await findLetter(page, selector);
    if (spot.x === last.x && spot.y === last.y) return spot;
    last = spot;
  }
  throw new Error(`The editor's text kept moving: last at ${last.x}, ${last.y}`);
}

describe("editing in the deck", () => {
  let tab: Tab;
  /** A window much smaller than the 1280×720 slides: reveal scales them down with a transform. */
  const SMALL = { width: 1000, height: 620 };
  beforeAll(async () => {
    tab = await newTab(SMALL);
  });
  afterAll(() => tab?.context.close());

  it("E opens the current slide's cell; typing and clicks stay in the editor", async () => {
    const { context, page, problems } = tab;
    await gotoAndSettle(page, siteUrl("/"));
    await reachSlideWithCell(page);
    const cell = page.locator(`${PRESENT_SLIDE} .fd-cell:not(.fd-cell-inline)[data-cell]`).first();
    await cell.waitFor({ state: "attached", timeout: 30_000 });
    const key = (await cell.getAttribute("data-cell")) ?? "";
    const at = await slidePosition(page);
    const scale = await page.locator(".reveal .slides").evaluate((slides) => {
      const box = slides.getBoundingClientRect();
      return box.width / (slides as HTMLElement).offsetWidth;
    });
    expect(scale, "the slides are scaled").toBeLessThan(0.9);
    const popups: string[] = [];
    context.on("page", (opened) => popups.push(opened.url()));

    await pressOnDeck(page, "e");
    const content = editorContent(page, key);
    await content.waitFor({ state: "visible", timeout: 15_000 });
    await expect.poll(() => isFocused(content)).toBe(true);
    const original = await editorText(page, key);
    expect(original.length).toBeGreaterThan(0);
    expect(await cell.evaluate((el) => el.closest("section.present") !== null)).toBe(true);

    // Keys that reveal.js binds (next, speaker view, pause, overview, arrows) type or move the
    // cursor in the editor instead.
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.type(" s n b o f ");
    for (const press of ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageDown", "Space"]) {
      await page.keyboard.press(press);
    }
    await page.keyboard.type("n");
    await framesPass(page, 5); // reveal moves on the key event itself
    expect(await slidePosition(page)).toEqual(at);
    expect(popups, "no speaker view (or other window) opened").toEqual([]);
    expect(
      await page.evaluate(() => {
        const reveal = document.querySelector(".reveal");
        return ["paused", "overview"].filter((c) => reveal?.classList.contains(c));
      }),
    ).toEqual([]);
    expect(await editorText(page, key)).toContain(" s n b o f ");

    // A click inside the scaled slide puts the cursor under the pointer.
    const spot = await steadyLetter(page, `[data-cell="${key}"] .fd-editor .cm-content`);
    const before = (await editorText(page, key)).split("\n")[spot.line] ?? "";
    await page.mouse.click(spot.x, spot.y);
    await page.keyboard.type("Q");
    const after = (await editorText(page, key)).split("\n")[spot.line];
    expect(
      after,
      `clicked on "${spot.char}" (line ${spot.line + 1}, column ${spot.column + 1})`,
    ).toBe(`${before.slice(0, spot.column)}Q${before.slice(spot.column)}`);
    expect(await slidePosition(page)).toEqual(at);
    expect(problems.pageErrors).toEqual([]);
  });

  it("Escape closes the editor and leaves the deck where it was; E again reopens it", async () => {
    const { page } = tab;
    const cell = page.locator(`${PRESENT_SLIDE} .fd-cell:not(.fd-cell-inline)[data-cell]`).first();
    const key = (await cell.getAttribute("data-cell")) ?? "";
    const at = await slidePosition(page);
    const content = editorContent(page, key);
    const typed = await editorText(page, key);
    await content.focus();
    // CodeMirror's Escape first ends a completion in progress (even one showing no list),
    // then closes the editor.
    for (let i = 0; i < 3 && (await content.count()) > 0; i++) {
      await page.keyboard.press("Escape");
      await framesPass(page, 2);
    }
    expect(await content.count(), "Escape closes the editor").toBe(0);
    await framesPass(page, 5);
    expect
      .soft(await page.locator(".reveal.overview").count(), "Escape opened reveal's overview")
      .toBe(0);
    if (await page.locator(".reveal.overview").count()) await pressOnDeck(page, "Escape");
    expect(await slidePosition(page)).toEqual(at);

    await pressOnDeck(page, "e");
    await content.waitFor({ state: "visible", timeout: 15_000 });
    await expect.poll(() => isFocused(content)).toBe(true);
    await framesPass(page, 5);
    expect(await editorText(page, key), "the E that opened the editor was not typed into it").toBe(
      typed,
    );
    expect(await slidePosition(page)).toEqual(at);
  });
});
