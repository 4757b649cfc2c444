/**
 * The printed deck (`?print-pdf`, Chrome's "Save as PDF" or playwright's `page.pdf` with
 * `preferCSSPageSize`) shows every live output as the print view shows it on screen: each
 * output's box is compared, in ink, between its PDF page (rendered by pdftoppm) and a
 * screenshot of the same page of the print view; and no page says that an output was printed
 * before it had its result ("starting two workers", "measuring…"); and the talk's demos that
 * wait for a reader (the playground, the retrain buttons, Train) print a real run of fixed length.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cells,
  expectAllReady,
  gotoAndSettle,
  openSession,
  settle,
  siteUrl,
  unsolvedChecks,
  type Session,
} from "./browser.ts";
import { leafSlideCount } from "./deck.ts";
import { decodePng, inkCount, pdfPages, type Box } from "./images.ts";
import { pdfPageTexts, placeholdersIn } from "./print-text.ts";
import { DECKS, deckPath } from "./site.ts";

/** No output may lose more than half its ink between the print view and the PDF. */
const MIN_INK_RATIO = 0.5;
/** Outputs with less ink than this on screen (an empty value, a short line) are not compared. */
const MIN_INK = 50;

interface PrintedOutput extends Box {
  key: string;
  /** index of its page among the printed pages (notes pages included) */
  page: number;
}

interface PrintLayout {
  width: number;
  height: number;
  /** the printed pages in order: reveal's `.pdf-page`s and, with separate notes, notes pages */
  pages: number;
  slidePages: number;
  notesPages: number;
  outputs: PrintedOutput[];
}

function printLayout(page: Page): Promise<PrintLayout> {
  return page.evaluate(() => {
    const slides = document.querySelector(".reveal .slides")!;
    const pages = Array.from(
      slides.querySelectorAll<HTMLElement>(
        ":scope > .pdf-page, :scope > .speaker-notes-pdf[data-layout=separate-page]",
      ),
    );
    const first = pages[0]!.getBoundingClientRect();
    const outputs = Array.from(document.querySelectorAll<HTMLElement>("[data-cell]"))
      .filter((cell) => !cell.classList.contains("fd-cell-inline"))
      .map((cell) => {
        const sheet = cell.closest<HTMLElement>(".pdf-page")!;
        const box = cell.getBoundingClientRect();
        const at = sheet.getBoundingClientRect();
        // What lies past the page's edge is clipped on screen and on paper alike.
        const top = Math.max(box.top, at.top);
        const bottom = Math.min(box.bottom, at.bottom);
        return {
          key: cell.dataset.cell ?? "",
          page: pages.indexOf(sheet),
          x: box.left - at.left,
          y: top - at.top,
          width: Math.min(box.width, at.right - box.left),
          height: Math.max(0, bottom - top),
        };
      });
    return {
      width: Math.round(first.width),
      height: Math.round(first.height),
      pages: pages.length,
      slidePages: pages.filter((p) => p.classList.contains("pdf-page")).length,
      notesPages: pages.filter((p) => !p.classList.contains("pdf-page")).length,
      outputs,
    };
  });
}

/**
 * What the talk's demos that wait for a reader print instead: a real run of fixed length each,
 * ended, and saying so (not the untrained start, not "training").
 */
const PRINTED_RUNS = {
  playground: { epoch: "300", note: "Printed after 300 epochs of training from the seeded start" },
  digits: { phase: "done", evaluations: true },
  inception: { phase: "done", evaluations: true },
  distributed: { status: true, running: "false" },
  // the cluster slide stops too: trained on, it would share the cores with the timings below
  cluster: { status: true },
  // a speed-up timed alone (measuring.alone): never far above its worker count, as it was
  // (2.47× on 2) when one worker was timed while the other slides trained
  scaling: { labels: true, superlinear: [] },
};

function printedRuns(page: Page) {
  return page.evaluate(() => {
    const training = (key: string) => {
      const view = document.querySelector<HTMLElement>(
        `[data-cell="${key}"] [data-role=digit-training]`,
      );
      const history = JSON.parse(view?.dataset.history ?? "[]") as unknown[];
      return { phase: view?.dataset.phase, evaluations: history.length >= 3 };
    };
    const pg = document.querySelector<HTMLElement>('[data-cell="playground/playground"] .pg');
    // "1.70× · 85 %": a point's speed-up and efficiency, as the scaling chart labels it
    const points = Array.from(
      document.querySelectorAll('[data-cell="parallelism/scaling-view"] svg text'),
      (t) => ({
        text: t.textContent ?? "",
        match: /^\d+\.\d\d× · (\d+) %$/.exec(t.textContent ?? ""),
      }),
    ).flatMap(({ text, match }) => (match ? [{ text, efficiency: Number(match[1]) / 100 }] : []));
    const status = document.querySelector<HTMLElement>(
      '[data-cell="distributed/demo"] [data-distributed-status]',
    );
    return {
      playground: {
        epoch: pg?.dataset.epoch,
        note: pg?.querySelector(".pg-printed")?.textContent,
      },
      digits: training("digits/retrain"),
      inception: training("breakthroughs/inception-retrain"),
      distributed: {
        status: /^[\d,]+ steps done, stopped · /.test(status?.textContent ?? ""),
        running: status?.dataset.running,
      },
      cluster: {
        status: /^[\d,]+ steps done, stopped · /.test(
          document.querySelector('[data-cell="cluster/demo"] .fd-cluster-status')?.textContent ??
            "",
        ),
      },
      scaling: {
        labels: points.length >= 2,
        superlinear: points.filter((p) => p.efficiency > 1.15).map((p) => p.text),
      },
    };
  });
}

/** Screenshots of the print view's pages that hold outputs, by page index. */
async function screenPages(page: Page, indices: Iterable<number>) {
  const shots = new Map<number, ReturnType<typeof decodePng>>();
  const sheets = page.locator(".reveal .slides > .pdf-page");
  for (const index of indices) {
    shots.set(index, decodePng(await sheets.nth(index).screenshot({ animations: "disabled" })));
  }
  return shots;
}

describe.each(DECKS)("print: deck %s (?print-pdf)", (deck) => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: { width: 1280, height: 720 } });
  });
  afterAll(() => session?.close());

  // The print view waits for the deck's measurements (benchmarks, pipelines) to end.
  it(
    "prints one page per print page, and every live output as the print view shows it",
    { timeout: 420_000 },
    async () => {
      const { page, problems } = session;
      await gotoAndSettle(page, siteUrl(deckPath(deck, "print-pdf")));
      const cellCount = await page.locator("[data-cell]").count();
      const slotCount = await page.locator("[data-slot]").count();
      expect(cellCount, "every embedded cell is mounted for print").toBe(slotCount);
      expect(await page.locator(".fd-cell canvas").count(), "canvases left unfrozen").toBe(0);
      // reveal takes every <section> under .slides for a slide (absolute, in print on top of
      // what follows it): a live output must not contain one
      expect(await page.locator(".reveal .slides .fd-output section").count()).toBe(0);

      if (deck === "talk") expect(await printedRuns(page)).toEqual(PRINTED_RUNS);
      const layout = await printLayout(page);
      expect(layout.slidePages).toBeGreaterThanOrEqual(await leafSlideCount(page));
      const shots = await screenPages(page, new Set(layout.outputs.map((o) => o.page)));
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const printed = await pdfPages(pdf, layout.width, layout.height);
      expect(printed.length, "PDF pages = print pages").toBe(layout.pages);

      const lost: string[] = [];
      const measured: string[] = [];
      for (const output of layout.outputs) {
        const screen = inkCount(shots.get(output.page)!, output);
        if (screen < MIN_INK) continue;
        const paper = inkCount(printed[output.page]!, output);
        const ratio = paper / screen;
        measured.push(`${output.key} p${output.page + 1}: ${ratio.toFixed(2)}`);
        if (ratio < MIN_INK_RATIO)
          lost.push(`${output.key} on page ${output.page + 1}: ${paper}/${screen} px of ink`);
      }
      console.info(`print ${deck}, ink on paper / on screen:\n  ${measured.join("\n  ")}`);
      expect(measured.length, "outputs compared").toBeGreaterThan(0);
      expect(
        lost,
        `outputs that lost more than half their ink in the PDF:\n  ${lost.join("\n  ")}`,
      ).toEqual([]);
      const placeholders = (await pdfPageTexts(pdf)).flatMap((text, i) =>
        placeholdersIn(text).map((phrase) => `page ${i + 1}: ${phrase}`),
      );
      expect(
        placeholders,
        `outputs printed before they had a result:\n  ${placeholders.join("\n  ")}`,
      ).toEqual([]);
      // An exercise's check says "Not yet" until a reader solves it: that is its printed output.
      // Printing re-lays the page out, and cells that read the width may be re-running now.
      await settle(page);
      const notYet = (await cells(page))
        .filter((c) => c.state === "error" && /^Not yet: /.test(c.error ?? ""))
        .map((c) => `${c.notebook}/${c.id}`);
      await expectAllReady(page, "in the print view", [...notYet, ...(await unsolvedChecks(page))]);
      expect(problems.pageErrors).toEqual([]);
    },
  );
});

describe("print with speaker notes (?print-pdf&showNotes=separate-page)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ viewport: { width: 1280, height: 720 } });
  });
  afterAll(() => session?.close());

  it(
    "prints each slide's notes on a page of their own after it",
    { timeout: 420_000 },
    async () => {
      const { page } = session;
      await gotoAndSettle(page, siteUrl(deckPath("talk", "print-pdf&showNotes=separate-page")));
      const layout = await printLayout(page);
      expect(layout.notesPages, "pages of notes").toBeGreaterThan(0);
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const printed = await pdfPages(pdf, layout.width, layout.height);
      // Long notes run onto a second page.
      expect(printed.length).toBeGreaterThanOrEqual(layout.pages);
      const kinds = await page.evaluate(() =>
        Array.from(
          document.querySelectorAll(
            ".reveal .slides > .pdf-page, .reveal .slides > .speaker-notes-pdf[data-layout=separate-page]",
          ),
          (p) => (p.classList.contains("pdf-page") ? "slide" : "notes"),
        ),
      );
      const notesAt = kinds.indexOf("notes");
      expect(kinds[notesAt - 1], "notes follow their slide").toBe("slide");
      expect(inkCount(printed[notesAt]!), "the notes page has text on it").toBeGreaterThan(500);
    },
  );
});
