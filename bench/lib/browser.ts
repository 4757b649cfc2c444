/** Headless Chromium (Debian's, never downloaded) and fresh pages with the probes installed. */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_ARGS } from "../../tools/chromium.ts";
import { installProbes } from "./probes.ts";

export const VIEWPORT = { width: 1280, height: 720 };

export function launch(executablePath: string, extra: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extra] });
}

export interface FreshPage {
  context: BrowserContext;
  page: Page;
  /** uncaught errors and console errors seen so far */
  errors: string[];
  close(): Promise<void>;
}

/** A page in a new context: empty cache, nothing shared with earlier runs. */
export async function freshPage(browser: Browser): Promise<FreshPage> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  // tsx keeps function names with a `__name` helper that serialized functions then call.
  await context.addInitScript({ content: "globalThis.__name ??= (f) => f;" });
  await context.addInitScript(installProbes);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return { context, page, errors, close: () => context.close() };
}
