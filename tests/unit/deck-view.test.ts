import { describe, expect, it } from "vitest";
import { deckViewFromUrl } from "../../src/deck/reveal-views.ts";

describe("deckViewFromUrl", () => {
  it("tells the views apart, the speaker view's previews first", () => {
    expect(deckViewFromUrl("")).toBe("slides");
    expect(deckViewFromUrl("?view=scroll")).toBe("scroll");
    expect(deckViewFromUrl("?view=reader")).toBe("scroll");
    expect(deckViewFromUrl("?print-pdf")).toBe("print");
    expect(deckViewFromUrl("?receiver&view=scroll")).toBe("speaker-preview");
    expect(deckViewFromUrl("?backend=wasm")).toBe("slides");
  });
});
