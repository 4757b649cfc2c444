/**
 * What the site holds, for navigation: every notebook (with its exercises) and every deck (with
 * the notebooks it embeds). The Vite plugin computes it at build time as the module
 * `virtual:flowdeck/catalog`; pages import it.
 */
export interface CatalogNotebook {
  name: string;
  title: string;
  /** exercise cells, named by the heading above them */
  exercises: Array<{ id: string; title: string }>;
}

export interface CatalogDeck {
  name: string;
  title: string;
  /** the notebooks its slides embed, in first-use order (not its own cells) */
  notebooks: string[];
  /** exercises among the deck's own cells, with the slide they are on (`#/3`) */
  exercises: Array<{ id: string; title: string; slide: string }>;
}

export interface Catalog {
  notebooks: CatalogNotebook[];
  decks: CatalogDeck[];
}

export const CATALOG_MODULE = "virtual:flowdeck/catalog";

/** The notebook a deck's own cells form. */
export function deckNotebookName(deck: string): string {
  return `deck-${deck}`;
}

/** The deck the site's root shows. */
export const DEFAULT_DECK = "talk";

/** The URL of a deck: the talk at the site's root, every other deck by name. */
export function deckHref(deck: string, defaultDeck = DEFAULT_DECK): string {
  return deck === defaultDeck ? "./index.html" : `./index.html?deck=${encodeURIComponent(deck)}`;
}

/**
 * The site's notebooks in the order a reader meets them: the decks' notebooks in the order their
 * slides first use them, then the notebooks no deck embeds (the engine's self-test, say).
 */
export function notebooksInReadingOrder(
  decks: ReadonlyArray<{ notebooks: readonly string[] }>,
  notebooks: ReadonlyArray<{ name: string; title: string }>,
): Array<{ name: string; title: string }> {
  const byName = new Map(notebooks.map((n) => [n.name, n]));
  const ordered = new Set([...decks.flatMap((d) => d.notebooks), ...byName.keys()]);
  return [...ordered].flatMap((name) => byName.get(name) ?? []);
}

/** The decks with the one the site's root shows first: the one navigation calls "Slides". */
export function mainDeckFirst<D extends { name: string }>(decks: readonly D[]): D[] {
  return [...decks].sort(
    (a, b) => Number(b.name === DEFAULT_DECK) - Number(a.name === DEFAULT_DECK),
  );
}
