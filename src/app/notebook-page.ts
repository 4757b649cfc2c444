/**
 * A notebook on a page of its own (`notebook.html?n=<name>`): all its prose and cells, code
 * shown where the author asked (or on request), cells running while they are on screen.
 */
import "katex/dist/katex.min.css";
import "@observablehq/notebook-kit/inspector.css";
import "inputs.css";
import "../ui/styles.css";
import "../ui/notebook-page.css";
import catalog from "virtual:flowdeck/catalog";
import { escapeHtml, renderNav } from "../ui/nav.ts";
import { NOTEBOOK_UPDATE_EVENT } from "../notebook/events.ts";
import { CellSlots, slotsIn } from "../deck/cell-slots.ts";
import { Engine } from "./engine.ts";
import { SEED_PARAM } from "../workshop/share.ts";
import {
  SharedLinks,
  linkWithEdits,
  offerSharedCode,
  seedRandomFromUrl,
} from "../workshop/shared-links.ts";
import { installHooks } from "./hooks.ts";

async function start(): Promise<void> {
  const main = document.querySelector<HTMLElement>("main.fd-notebook");
  const nav = document.querySelector<HTMLElement>("nav.fd-nav");
  if (!main || !nav) throw new Error("The page layout is missing");
  const name = new URLSearchParams(location.search).get("n");
  renderNav(nav, name);
  ensureSeed();

  const engine = new Engine({ widthRoot: () => main, indicator: true, editing: true });
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  installHooks({
    ready,
    settled: () => engine.whenIdle(),
    host: engine.host,
    tensorflow: engine.tensorflow,
  });

  if (!name) {
    main.innerHTML = `<h1>Notebooks</h1><ul>${catalog
      .map(
        ({ name: n, title }) =>
          `<li><a href="./notebook.html?n=${encodeURIComponent(n)}">${escapeHtml(title)}</a></li>`,
      )
      .join("")}</ul>`;
    resolveReady();
    return;
  }
  const spec = await engine.load(name);
  if (!spec) {
    main.innerHTML = `<h1>No notebook “${escapeHtml(name)}”</h1>`;
    resolveReady();
    return;
  }
  document.title = spec.title;
  const slots = new CellSlots(engine, { showCode: false, codeToggle: true });
  const render = (html: string) => {
    main.innerHTML = html;
    const found = slotsIn(main);
    for (const slot of found) slot.dataset.slot = `${name}/${slot.dataset.slot ?? ""}`;
    return found;
  };
  const found = render(spec.html);
  await Promise.all(found.map((slot) => slots.mount(slot)));
  if (engine.safe) {
    engine.notices.show("Safe mode: no cell runs until you start it.", [
      {
        label: "Run all",
        run: () => {
          found.forEach((slot) => engine.host.run(slot.dataset.slot ?? ""));
          main.querySelectorAll(".fd-run-button").forEach((button) => button.remove());
        },
      },
    ]);
  }
  slots.observeVisibility(found);
  const workshop = engine.workshop;
  if (workshop) {
    offerSharedCode(name, workshop, engine.notices);
    addShareButton(nav, () => linkWithEdits(workshop.editedSources(name)));
  }
  void engine.whenIdle().then(() => new SharedLinks(name, engine.host).follow(main));
  const target = decodeURIComponent(location.hash.slice(1));
  if (target) keepInView(main, `[data-cell="${CSS.escape(`${name}/${target}`)}"]`);
  // Hot reload: the host swaps changed cells; the prose is re-rendered around the same views.
  window.addEventListener(NOTEBOOK_UPDATE_EVENT, (event) => {
    const next = (event as CustomEvent<{ name: string; html: string }>).detail;
    if (next.name !== name) return;
    const again = render(next.html);
    void Promise.all(again.map((slot) => slots.mount(slot))).then(() =>
      slots.observeVisibility(again),
    );
  });
  resolveReady();
}

const KEEP_IN_VIEW_MS = 5000;

/**
 * A link to a cell (the workshop page links to exercises) brings it into view, and keeps it
 * there while the cells above it render and push it down, until the reader scrolls.
 */
function keepInView(main: HTMLElement, selector: string): void {
  const reveal = () => main.querySelector(selector)?.scrollIntoView({ block: "start" });
  reveal();
  const observer = new ResizeObserver(reveal);
  observer.observe(main);
  const stop = () => {
    observer.disconnect();
    for (const type of ["wheel", "keydown", "touchstart", "pointerdown"]) {
      window.removeEventListener(type, stop);
    }
  };
  for (const type of ["wheel", "keydown", "touchstart", "pointerdown"]) {
    window.addEventListener(type, stop, { passive: true });
  }
  setTimeout(stop, KEEP_IN_VIEW_MS);
}

/** Every notebook page runs seeded, and says so in its URL, so any link reproduces its random data. */
function ensureSeed(): void {
  const params = new URLSearchParams(location.search);
  if (!params.has(SEED_PARAM)) {
    params.set(SEED_PARAM, String(1 + Math.floor(Math.random() * 2 ** 31)));
    history.replaceState(history.state, "", `${location.pathname}?${params}${location.hash}`);
  }
  seedRandomFromUrl(location.search);
}

function addShareButton(nav: HTMLElement, link: () => string): void {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "fd-share";
  button.textContent = "Copy link with my edits";
  button.addEventListener("click", async () => {
    const url = link();
    button.dataset.link = url;
    try {
      await navigator.clipboard.writeText(url);
      button.textContent = "Link copied";
    } catch {
      window.prompt("Copy this link:", url);
    }
  });
  nav.append(button);
}

start().catch((error: unknown) => {
  console.error(error);
  const message = document.createElement("div");
  message.setAttribute("role", "alert");
  message.className = "fd-fatal";
  message.textContent = `The notebook could not start: ${error instanceof Error ? error.message : String(error)}`;
  document.body.prepend(message);
});
