/**
 * `/gallery.html`, in dev only (`npm run dev`): the golden image of every printed slide of every
 * deck (tests/golden/slides/, written by `npm run gallery:update`), as thumbnails that open the
 * slide itself: the visual review of the decks.
 */
import "../deck/theme.css";
import "./gallery.css";

const images = import.meta.glob<string>("/tests/golden/slides/*/*.png", {
  eager: true,
  query: "?url",
  import: "default",
});

function byDeck(): Map<string, { page: number; url: string }[]> {
  const decks = new Map<string, { page: number; url: string }[]>();
  for (const [file, url] of Object.entries(images).sort(([a], [b]) => a.localeCompare(b))) {
    const [, deck, page] = /\/slides\/([^/]+)\/(\d+)\.png$/.exec(file) ?? [];
    if (!deck || !page) continue;
    decks.set(deck, [...(decks.get(deck) ?? []), { page: Number(page), url }]);
  }
  return decks;
}

function render(root: HTMLElement): void {
  const decks = byDeck();
  const heading = document.createElement("h1");
  heading.textContent = "Every slide, as printed";
  root.append(heading);
  if (!decks.size) {
    const empty = document.createElement("p");
    empty.textContent = "No golden images yet: run `npm run gallery:update`.";
    root.append(empty);
  }
  for (const [deck, pages] of decks) {
    const section = document.createElement("section");
    const title = document.createElement("h2");
    const link = document.createElement("a");
    link.href = deck === "talk" ? "/" : `/?deck=${encodeURIComponent(deck)}`;
    link.textContent = `${deck} (${pages.length} pages)`;
    title.append(link);
    const grid = document.createElement("div");
    grid.className = "fd-gallery-grid";
    for (const { page, url } of pages) {
      const figure = document.createElement("figure");
      const open = document.createElement("a");
      open.href = url;
      const image = document.createElement("img");
      image.src = url;
      image.loading = "lazy";
      image.alt = `${deck}, printed page ${page}`;
      const caption = document.createElement("figcaption");
      caption.textContent = String(page);
      open.append(image);
      figure.append(open, caption);
      grid.append(figure);
    }
    section.append(title, grid);
    root.append(section);
  }
}

render(document.querySelector<HTMLElement>(".fd-gallery") ?? document.body);
