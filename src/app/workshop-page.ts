/**
 * The workshop page: every exercise in every notebook with where the learner stands, links to
 * each, and export / import of all edits and progress.
 */
import "../ui/styles.css";
import "../ui/notebook-page.css";
import catalog from "virtual:flowdeck/catalog";
import { escapeHtml, renderNav } from "../ui/nav.ts";
import { Notices } from "../ui/notices.ts";
import { PROGRESS_FORMAT, PROGRESS_KEY, isProgress, type Progress } from "../workshop/progress.ts";
import { RecordStore, browserStorage } from "../workshop/stored-record.ts";
import { exportRecords, importRecords } from "../workshop/transfer.ts";
import { installHooks } from "./hooks.ts";
import { TensorFlowHost } from "../ml/backend.ts";

function render(main: HTMLElement, progress: Progress): void {
  const rows = catalog.flatMap(({ name, title, exercises }) =>
    exercises.map((exercise) => {
      const key = `${name}/${exercise.id}`;
      const state = progress[key]?.state ?? "not started";
      const hints = progress[key]?.hintsShown ?? 0;
      const href = `./notebook.html?n=${encodeURIComponent(name)}#${encodeURIComponent(exercise.id)}`;
      return `<tr data-exercise="${escapeHtml(key)}" data-state="${escapeHtml(state)}">
        <td>${escapeHtml(title)}</td>
        <td><a href="${href}">${escapeHtml(exercise.title)}</a></td>
        <td class="fd-exercise-state">${escapeHtml(state)}</td>
        <td>${hints ? `${hints} hint${hints > 1 ? "s" : ""}` : ""}</td>
      </tr>`;
    }),
  );
  const passed = Object.values(progress).filter((p) => p.state === "passed").length;
  main.innerHTML = `
    <h1>Workshop</h1>
    <p>Every exercise in the notebooks, and where you stand. Your edits and progress live in this
    browser; export them to keep them or move them to another machine.</p>
    <p class="fd-workshop-summary">${passed} of ${rows.length} exercises passed.</p>
    <table class="fd-workshop-table">
      <thead><tr><th>Notebook</th><th>Exercise</th><th>State</th><th>Hints</th></tr></thead>
      <tbody>${rows.join("")}</tbody>
    </table>
    <p class="fd-workshop-actions">
      <button type="button" data-action="export">Export my work</button>
      <label>Import <input type="file" accept="application/json,.json" data-action="import"></label>
    </p>`;
}

function start(): void {
  const main = document.querySelector<HTMLElement>("main");
  const nav = document.querySelector<HTMLElement>("nav.fd-nav");
  if (!main || !nav) throw new Error("The page layout is missing");
  renderNav(nav, "workshop");
  const notices = new Notices();
  const local = browserStorage();
  const store = new RecordStore<Progress>({
    storage: local,
    format: PROGRESS_FORMAT,
    validate: isProgress,
    onProblem: ({ movedTo, reason }) =>
      notices.show(
        `Your saved progress could not be read (${reason}); it was set aside as ${movedTo}.`,
      ),
  });
  const refresh = () => render(main, store.read(PROGRESS_KEY) ?? {});
  refresh();
  main.addEventListener("click", (event) => {
    if (
      !(event.target instanceof HTMLElement) ||
      event.target.dataset.action !== "export" ||
      !local
    )
      return;
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
  installHooks({
    ready: Promise.resolve(),
    settled: () => Promise.resolve(),
    host: undefined,
    tensorflow: new TensorFlowHost(),
  });
}

start();
