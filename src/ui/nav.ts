/**
 * The bar at the top of notebook pages (each deck, each notebook, the workshop) and the list of
 * what the site holds, grouped by deck.
 */
import catalog from "virtual:flowdeck/catalog";
import { deckHref, notebooksInReadingOrder } from "../compiler/catalog.ts";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const notebookHref = (name: string) => `./notebook.html?n=${encodeURIComponent(name)}`;
const readingHref = (deck: string) =>
  `${deckHref(deck)}${deckHref(deck).includes("?") ? "&" : "?"}view=scroll`;

function link(href: string, label: string, here = false, className = ""): string {
  const attributes = `${here ? ' aria-current="page"' : ""}${className ? ` class="${className}"` : ""}`;
  return `<a href="${escapeHtml(href)}"${attributes}>${escapeHtml(label)}</a>`;
}

function titleOf(notebook: string): string {
  return catalog.notebooks.find((n) => n.name === notebook)?.title ?? notebook;
}

export function renderNav(nav: HTMLElement, current: string | null): void {
  const [main, ...more] = catalog.decks;
  const notebooks = notebooksInReadingOrder(catalog.decks, catalog.notebooks);
  nav.innerHTML = [
    ...(main
      ? [link(deckHref(main.name), "Slides"), link(readingHref(main.name), "Reading view")]
      : []),
    // on a phone the notebooks' list would fill the first screen: it shows only this one there,
    // and a link to the list (see notebook-page.css)
    ...notebooks.map(({ name, title }) =>
      link(notebookHref(name), title, name === current, "fd-nav-notebook"),
    ),
    link("./notebook.html", "All notebooks", current === null, "fd-nav-all"),
    ...more.map(({ name, title }) => link(deckHref(name), `Deck: ${title}`)),
    link("./workshop.html", "Workshop", current === "workshop"),
  ].join("");
}

/** Every deck with its notebooks, then the notebooks no deck embeds. */
export function renderCatalog(): string {
  const inDecks = new Set(catalog.decks.flatMap((d) => d.notebooks));
  const decks = catalog.decks.map(
    (deck) => `<section class="fd-catalog-deck" data-deck="${escapeHtml(deck.name)}">
      <h2>${escapeHtml(deck.title)}</h2>
      <p>${link(deckHref(deck.name), "slides")} · ${link(readingHref(deck.name), "reading view")}</p>
      <ul>${deck.notebooks.map((n) => `<li>${link(notebookHref(n), titleOf(n))}</li>`).join("")}</ul>
    </section>`,
  );
  const loose = catalog.notebooks.filter((n) => !inDecks.has(n.name));
  const rest = loose.length
    ? `<section class="fd-catalog-deck"><h2>Other notebooks</h2><ul>${loose
        .map((n) => `<li>${link(notebookHref(n.name), n.title)}</li>`)
        .join("")}</ul></section>`
    : "";
  return decks.join("") + rest;
}
