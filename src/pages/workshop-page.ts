/**
 * The workshop page: every exercise of every deck's notebooks with where the learner stands,
 * links to each, and export / import of all edits and progress.
 */
import "../ui/styles.css";
import "../ui/notebook-page.css";
import catalog from "virtual:flowdeck/catalog";
import {
  deckHref,
  deckNotebookName,
  type CatalogDeck,
  type CatalogNotebook,
} from "../compiler/catalog.ts";
import { cellKey, type CellKey } from "../compiler/cell-key.ts";
import { escapeHtml, renderNav } from "../ui/nav.ts";
import { Notices } from "../ui/notices.ts";
import type { Progress } from "../workshop/progress.ts";
import { ProgressStore } from "../workshop/progress-store.ts";
import { browserStorage, describeProblem } from "../workshop/stored-record.ts";
import { exportRecords, importRecords } from "../workshop/transfer.ts";
import { IDLE_PAGE, startPage } from "./page.ts";

/** One exercise as the page lists it: where it is, what it is called, where to open it. */
interface ExerciseRow {
  key: CellKey;
  where: string;
  title: string;
  href: string;
}

function notebookRows(notebook: CatalogNotebook): ExerciseRow[] {
  return notebook.exercises.map((exercise) => ({
    key: cellKey(notebook.name, exercise.id),
    where: notebook.title,
    title: exercise.title,
    href: `./notebook.html?n=${encodeURIComponent(notebook.name)}#${encodeURIComponent(exercise.id)}`,
  }));
}

function deckRows(deck: CatalogDeck): ExerciseRow[] {
  return deck.exercises.map((exercise) => ({
    key: cellKey(deckNotebookName(deck.name), exercise.id),
    where: `${deck.title} (slides)`,
    title: exercise.title,
    href: `${deckHref(deck.name)}${exercise.slide}`,
  }));
}

/** Exercises grouped by deck, in the order the deck shows its notebooks; then the rest. */
function groups(): Array<{ title: string; rows: ExerciseRow[] }> {
  const byName = new Map(catalog.notebooks.map((n) => [n.name, n]));
  const listed = new Set<string>();
  const out = catalog.decks.map((deck) => ({
    title: deck.title,
    rows: [
      ...deckRows(deck),
      ...deck.notebooks.flatMap((name) => {
        const notebook = byName.get(name);
        if (!notebook || listed.has(name)) return [];
        listed.add(name);
        return notebookRows(notebook);
      }),
    ],
  }));
  const rest = catalog.notebooks.filter((n) => !listed.has(n.name)).flatMap(notebookRows);
  out.push({ title: "Other notebooks", rows: rest });
  return out.filter((group) => group.rows.length);
}

function render(main: HTMLElement, progress: Progress): void {
  const all = groups();
  const sections = all.map(({ title, rows }) => {
    const body = rows.map(({ key, where, title: name, href }) => {
      const state = progress[key]?.state ?? "not started";
      const hints = progress[key]?.hintsShown ?? 0;
      return `<tr data-exercise="${escapeHtml(key)}" data-state="${escapeHtml(state)}">
        <td>${escapeHtml(where)}</td>
        <td><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></td>
        <td class="fd-exercise-state">${escapeHtml(state)}</td>
        <td>${hints ? `${hints} hint${hints > 1 ? "s" : ""}` : ""}</td>
      </tr>`;
    });
    return `<h2>${escapeHtml(title)}</h2>
    <table class="fd-workshop-table">
      <thead><tr><th>Where</th><th>Exercise</th><th>State</th><th>Hints</th></tr></thead>
      <tbody>${body.join("")}</tbody>
    </table>`;
  });
  const total = all.reduce((sum, group) => sum + group.rows.length, 0);
  const passed = all
    .flatMap((group) => group.rows)
    .filter((row) => progress[row.key]?.state === "passed").length;
  main.innerHTML = `
    <h1>Workshop</h1>
    <p>Every exercise in the decks and notebooks, and where you stand. Your edits and progress
    live in this browser; export them to keep them or move them to another machine.</p>
    <p class="fd-workshop-summary">${passed} of ${total} exercises passed.</p>
    ${sections.join("")}
    <p class="fd-workshop-actions">
      <button type="button" data-action="export">Export my work</button>
      <label>Import <input type="file" accept="application/json,.json" data-action="import"></label>
    </p>`;
}

async function start() {
  const main = document.querySelector<HTMLElement>("main");
  const nav = document.querySelector<HTMLElement>("nav.fd-nav");
  if (!main || !nav) throw new Error("the page layout is missing");
  renderNav(nav, "workshop");
  const notices = new Notices();
  const local = browserStorage();
  const store = new ProgressStore(local, (problem) => notices.show(describeProblem(problem)));
  const refresh = () => render(main, store.all());
  refresh();
  main.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLElement) || target.dataset.action !== "export" || !local) return;
    const blob = new Blob([exportRecords(local)], { type: "application/json" });
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(blob),
      download: `flowdeck-work-${new Date().toISOString().slice(0, 10)}.json`,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  });
  main.addEventListener("change", async (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.dataset.action !== "import" || !local) return;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const result = importRecords(local, await file.text());
      const rejected = result.rejected.length
        ? `; ${result.rejected.length} damaged record(s) skipped`
        : "";
      notices.show(`Imported ${result.imported.length} record(s)${rejected}.`);
    } catch (error) {
      notices.show(error instanceof Error ? error.message : String(error));
    }
    refresh();
  });
  return IDLE_PAGE;
}

startPage("workshop page", start);
