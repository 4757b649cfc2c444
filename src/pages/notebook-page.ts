/**
 * A notebook on a page of its own (`notebook.html?n=<name>`): all its prose and cells, code
 * shown where the author asked (or on request), cells running while they are on screen. Without
 * `?n=`, the list of notebooks.
 */
import "katex/dist/katex.min.css";
import "@observablehq/notebook-kit/inspector.css";
import "inputs.css";
import "../ui/styles.css";
import "../ui/notebook-page.css";
import { cellKey } from "../compiler/cell-key.ts";
import { NOTEBOOK_UPDATE_EVENT } from "../compiler/events.ts";
import type { TensorFlowHost } from "../ml/backend.ts";
import { escapeHtml, renderCatalog, renderNav } from "../ui/nav.ts";
import { slotsIn } from "../view/cell-slots.ts";
import { SEED_PARAM } from "../workshop/share.ts";
import {
  SharedLinks,
  linkWithEdits,
  offerSharedCode,
  seedRandomFromUrl,
} from "../workshop/shared-links.ts";
import { Engine } from "./engine.ts";
import type { PageState } from "./hooks.ts";
import { IDLE_PAGE, startPage } from "./page.ts";

async function start(tensorflow: TensorFlowHost): Promise<PageState> {
  const main = document.querySelector<HTMLElement>("main.fd-notebook");
  const nav = document.querySelector<HTMLElement>("nav.fd-nav");
  if (!main || !nav) throw new Error("the page layout is missing");
  const name = new URLSearchParams(location.search).get("n");
  renderNav(nav, name);
  if (!name) {
    main.innerHTML = `<h1>Notebooks</h1>${renderCatalog()}`;
    return IDLE_PAGE;
  }
  const seedProblem = ensureSeed();

  const engine = new Engine({
    tensorflow,
    widthRoot: () => main,
    pageRoot: () => main,
    indicator: true,
    editing: true,
  });
  const state: PageState = { cells: () => engine.host.cells(), whenIdle: () => engine.whenIdle() };
  if (seedProblem) engine.notices.show(seedProblem);
  const spec = await engine.load(name);
  if (!spec) {
    main.innerHTML = `<h1>No notebook “${escapeHtml(name)}”</h1>`;
    return state;
  }
  document.title = spec.title;
  const slots = engine.slots({ showCode: false, codeToggle: true });
  const render = (html: string) => {
    main.innerHTML = html;
    return slotsIn(main);
  };
  const found = render(spec.html);
  await Promise.all(found.map((slot) => slots.mount(slot)));
  engine.offerRunAll(() => engine.host.keys(name));
  slots.observeVisibility(found);
  const workshop = engine.workshop;
  if (workshop) {
    offerSharedCode(name, workshop.edits, engine.notices);
    // Only edits of cells this notebook has: a record for a cell that is gone stays out of links.
    const edits = () =>
      Object.fromEntries(
        Object.entries(workshop.store.editedSources(name)).filter(([id]) =>
          engine.host.cell(cellKey(name, id)),
        ),
      );
    addShareButton(nav, () => linkWithEdits(edits()));
  }
  void engine.whenIdle().then(() => new SharedLinks(name, engine.host, engine.views).follow());
  const target = cellFromHash(location.hash);
  if (target) keepInView(() => engine.views.get(cellKey(name, target))?.scrollIntoView(), main);
  // Hot reload: the host swaps changed cells; the prose is re-rendered around the same views.
  window.addEventListener(NOTEBOOK_UPDATE_EVENT, (event) => {
    const next = (event as CustomEvent<{ name: string; html: string }>).detail;
    if (next.name !== name) return;
    const again = render(next.html);
    void Promise.all(again.map((slot) => slots.mount(slot))).then(() =>
      slots.observeVisibility(again),
    );
  });
  return state;
}

/** The cell id a link points at (`#cell-id`); a malformed hash points nowhere. */
function cellFromHash(hash: string): string | undefined {
  try {
    return decodeURIComponent(hash.slice(1)) || undefined;
  } catch {
    return undefined;
  }
}

const KEEP_IN_VIEW_MS = 5000;

/**
 * A link to a cell (the workshop page links to exercises) brings it into view, and keeps it
 * there while the cells above it render and push it down, until the reader scrolls.
 */
function keepInView(reveal: () => void, main: HTMLElement): void {
  reveal();
  const observer = new ResizeObserver(reveal);
  observer.observe(main);
  const events = ["wheel", "keydown", "touchstart", "pointerdown"];
  const stop = () => {
    observer.disconnect();
    for (const type of events) window.removeEventListener(type, stop);
  };
  for (const type of events) window.addEventListener(type, stop, { passive: true });
  setTimeout(stop, KEEP_IN_VIEW_MS);
}

/**
 * Every notebook page runs seeded, and says so in its URL, so any link reproduces its random
 * data. A seed that is not a whole number above 0 is replaced, and the page says so.
 */
function ensureSeed(): string | undefined {
  const params = new URLSearchParams(location.search);
  const given = params.get(SEED_PARAM);
  if (given !== null && seedRandomFromUrl(location.search) !== undefined) return undefined;
  const seed = String(1 + Math.floor(Math.random() * 2 ** 31));
  params.set(SEED_PARAM, seed);
  history.replaceState(history.state, "", `${location.pathname}?${params}${location.hash}`);
  seedRandomFromUrl(location.search);
  return given === null
    ? undefined
    : `The link's seed “${given}” is not a whole number above 0, so this page runs with seed ${seed} instead (now in its address).`;
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

startPage("notebook", start);
