/** Which of reveal.js's views this page is, decided from the URL before reveal starts. */

export type DeckView = "slides" | "scroll" | "print" | "speaker-preview";

export function deckViewFromUrl(search: string): DeckView {
  const params = new URLSearchParams(search);
  // The speaker view loads the deck twice more in iframes marked `?receiver`.
  if (params.has("receiver")) return "speaker-preview";
  if (/print-pdf/i.test(search) || params.get("view") === "print") return "print";
  if (params.get("view") === "scroll" || params.get("view") === "reader") return "scroll";
  return "slides";
}
