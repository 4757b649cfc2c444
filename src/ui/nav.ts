/** The bar at the top of notebook pages: the deck, the reading view, each notebook, the workshop. */
import catalog from "virtual:flowdeck/catalog";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderNav(nav: HTMLElement, current: string | null): void {
  const link = (href: string, label: string, here: boolean) =>
    `<a href="${href}"${here ? ' aria-current="page"' : ""}>${escapeHtml(label)}</a>`;
  nav.innerHTML = [
    link("./index.html", "Slides", false),
    link("./index.html?view=scroll", "Reading view", false),
    ...catalog.map(({ name, title }) =>
      link(`./notebook.html?n=${encodeURIComponent(name)}`, title, name === current),
    ),
    link("./workshop.html", "Workshop", current === "workshop"),
  ].join("");
}
