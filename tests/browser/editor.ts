/**
 * Driving a cell's CodeMirror editor (`.fd-editor`) and the edits Flowdeck keeps in the page's
 * localStorage, the way a reader does: the Edit button, the keyboard, the editor's own buttons.
 */
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import {
  EDITS_FORMAT,
  editsKey,
  isNotebookEdits,
  type NotebookEdits,
} from "../../src/workshop/edits.ts";
import { decodeRecord } from "../../src/workshop/stored-record.ts";

export const QUARANTINE_PREFIX = "flowdeck:quarantine:";

/** The engine's self-test notebook, and the cells the editing and safety tests edit. */
export const SELFTEST = "/notebook.html?n=selftest";
export const OK = "selftest/ok";
export const INDEPENDENT = "selftest/independent";
/** Tall enough that `ok`, its editor and the cells below it are all on screen together. */
export const TALL = { width: 1280, height: 1400 };

/** A new browser context (its own storage, seeded with `seed`) and a page in it. */
export async function newTab(
  browser: Browser,
  {
    viewport = TALL,
    seed,
  }: { viewport?: { width: number; height: number }; seed?: Record<string, string> } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  if (seed) await seedStorage(context, seed);
  return { context, page: await context.newPage() };
}

/** The mounted cell `key` ("notebook/id"). */
export function cellLocator(page: Page, key: string): Locator {
  return page.locator(`[data-cell="${key}"]`);
}

/** The editable surface of the cell's editor. */
export function editorContent(page: Page, key: string): Locator {
  return cellLocator(page, key).locator(".fd-editor .cm-content");
}

/** Clicks the cell's Edit button; resolves once its editor shows and has the focus. */
export async function openEditor(page: Page, key: string): Promise<Locator> {
  const cell = cellLocator(page, key);
  await cell.scrollIntoViewIfNeeded();
  await cell.hover();
  await cell.locator(".fd-cell-bar .fd-edit-button").click();
  const content = editorContent(page, key);
  await content.waitFor({ state: "visible", timeout: 15_000 });
  await expect.poll(() => isFocused(content)).toBe(true);
  return content;
}

export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/** The editor's text, one `\n` between lines (CodeMirror renders a `.cm-line` per line). */
export function editorText(page: Page, key: string): Promise<string> {
  return editorContent(page, key).evaluate((content) =>
    Array.from(content.querySelectorAll(".cm-line"), (line) => line.textContent ?? "").join("\n"),
  );
}

/** Replaces the whole text of the focused cell editor, as a paste would. */
export async function replaceEditorText(page: Page, key: string, source: string): Promise<void> {
  await editorContent(page, key).focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(source);
  await expect.poll(() => editorText(page, key)).toBe(source);
}

/** One of the buttons under the cell's editor (Run, Compare, Reset, Close). */
export function editorButton(page: Page, key: string, label: string): Locator {
  return cellLocator(page, key).locator(".fd-editor-actions button", { hasText: label });
}

/** Opens the cell's editor, puts `source` in it and runs it with Shift-Enter. */
export async function editAndRun(page: Page, key: string, source: string): Promise<void> {
  await openEditor(page, key);
  await replaceEditorText(page, key, source);
  await page.keyboard.press("Shift+Enter");
}

/** The raw value Flowdeck keeps a notebook's edits under (null when there is none). */
export function storedEditsText(page: Page, notebook: string): Promise<string | null> {
  return page.evaluate((key) => localStorage.getItem(key), editsKey(notebook));
}

/** The notebook's stored edits, decoded and checked (fails if the record does not decode). */
export async function storedEdits(page: Page, notebook: string): Promise<NotebookEdits | null> {
  const text = await storedEditsText(page, notebook);
  if (text === null) return null;
  const decoded = decodeRecord(text, EDITS_FORMAT, isNotebookEdits);
  if (!decoded.ok) throw new Error(`${editsKey(notebook)} does not decode: ${decoded.reason}`);
  return decoded.data;
}

/** Every localStorage entry whose key starts with `prefix`. */
export function storageEntries(page: Page, prefix: string): Promise<Array<[string, string]>> {
  return page.evaluate((start) => {
    const found: Array<[string, string]> = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(start)) found.push([key, localStorage.getItem(key) ?? ""]);
    }
    return found;
  }, prefix);
}

/**
 * Puts these values in the context's localStorage before its first page runs a script (once:
 * a reload keeps whatever the page made of them).
 */
export async function seedStorage(
  context: BrowserContext,
  entries: Record<string, string>,
): Promise<void> {
  await context.addInitScript((values) => {
    const marker = "flowdeck-test:seeded";
    if (location.protocol === "about:" || localStorage.getItem(marker)) return;
    for (const [key, value] of Object.entries(values)) localStorage.setItem(key, value);
    localStorage.setItem(marker, "1");
  }, entries);
}
