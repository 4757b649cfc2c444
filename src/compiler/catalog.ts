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

/** The URL of a deck: the talk at the site's root, every other deck by name. */
export function deckHref(deck: string, defaultDeck = "talk"): string {
  return deck === defaultDeck ? "./index.html" : `./index.html?deck=${encodeURIComponent(deck)}`;
}
