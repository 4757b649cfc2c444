/**
 * The backend is chosen by hardware: here WebGL is SwiftShader (a software renderer), so the
 * default is wasm; `?backend=webgl` still forces WebGL, and a `?backend=` naming nothing says so.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backend,
  domCell,
  gotoAndSettle,
  offOrigin,
  openSession,
  renderer,
  siteUrl,
  visitEverySlot,
  type Session,
} from "./browser.ts";

const SELFTEST = "/notebook.html?n=selftest";

function indicator(page: Page) {
  return page.locator(".fd-indicator");
}

declare global {
  interface Window {
    __webglContexts?: number;
  }
}

/** Counts the WebGL contexts the page asks for on its main thread (a worker's are not seen). */
function countWebGLContexts(): void {
  const real = HTMLCanvasElement.prototype.getContext;
  window.__webglContexts = 0;
  HTMLCanvasElement.prototype.getContext = function (
    this: HTMLCanvasElement,
    kind: string,
    ...rest: unknown[]
  ) {
    if (/^(experimental-)?webgl2?$/.test(kind)) window.__webglContexts! += 1;
    return (real as (...args: unknown[]) => unknown).call(this, kind, ...rest);
  } as typeof real;
}

const webglContexts = (page: Page) => page.evaluate(() => window.__webglContexts ?? -1);

describe("the backend chosen by hardware", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession();
    await session.page.addInitScript(countWebGLContexts);
  });
  afterAll(() => session?.close());

  it("is wasm on a software renderer, says why, and loads its .wasm from the origin", async () => {
    const { page, requests, problems } = session;
    await gotoAndSettle(page, siteUrl(SELFTEST));
    await visitEverySlot(page);
    expect(await backend(page)).toBe("wasm");
    // The renderer is still reported: it is why wasm was chosen.
    expect(await renderer(page)).toMatch(/swiftshader/i);
    await expect.poll(() => indicator(page).getAttribute("data-backend")).toBe("wasm");
    expect(await indicator(page).getAttribute("data-reason")).toMatch(
      /software renderer \(SwiftShader\), not a GPU/,
    );
    expect(await indicator(page).textContent()).toMatch(/wasm · no GPU/);
    expect((await domCell(page, "selftest/ok")).output).toContain("wasm");
    // The renderer was read in a worker: making a context here blocks the page 250–500 ms.
    expect(await webglContexts(page), "WebGL contexts made on the main thread").toBe(0);
    const wasm = requests.urls.filter((url) => url.endsWith(".wasm"));
    expect(wasm.length, "the wasm backend fetched its binary").toBeGreaterThan(0);
    expect(offOrigin(wasm, new URL(siteUrl("/")).origin)).toEqual([]);
    expect(requests.failures).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  it("is WebGL when ?backend=webgl forces it, flagged as software", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl(`${SELFTEST}&backend=webgl`));
    await visitEverySlot(page);
    expect(await backend(page)).toBe("webgl");
    await expect.poll(() => indicator(page).getAttribute("data-backend")).toBe("webgl");
    expect(await indicator(page).getAttribute("data-reason")).toBe("forced by ?backend=webgl");
    expect(await indicator(page).textContent()).toMatch(/WebGL · software/);
    expect((await domCell(page, "selftest/ok")).output).toContain("webgl");
    expect(await webglContexts(page), "WebGL contexts made on the main thread").toBeGreaterThan(0);
    expect(await page.locator(".fd-notice", { hasText: "?backend=" }).count()).toBe(0);
  });

  it("says at once when ?backend= names no backend, and computes on the default", async () => {
    const { page } = session;
    await gotoAndSettle(page, siteUrl(`${SELFTEST}&backend=bogus`));
    const notice = page.locator(".fd-notice", { hasText: "?backend=bogus" });
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.textContent()).toMatch(/not a TensorFlow.js backend.*computing on wasm/);
    await visitEverySlot(page);
    expect(await backend(page)).toBe("wasm");
  });
});
