import { describe, expect, it } from "vitest";
import { mainDeckFirst, notebooksInReadingOrder } from "../../src/compiler/catalog.ts";

const nb = (name: string) => ({ name, title: name.toUpperCase() });

describe("notebooksInReadingOrder", () => {
  it("follows the decks' first use, then adds the notebooks no deck embeds", () => {
    const notebooks = ["cluster", "digits", "dl101", "selftest", "tensors"].map(nb);
    const decks = [
      { notebooks: ["dl101", "digits", "tensors"] },
      { notebooks: ["cluster", "dl101"] },
    ];
    expect(notebooksInReadingOrder(decks, notebooks).map((n) => n.name)).toEqual([
      "dl101",
      "digits",
      "tensors",
      "cluster",
      "selftest",
    ]);
  });

  it("skips a deck's notebook the site does not hold", () => {
    expect(notebooksInReadingOrder([{ notebooks: ["gone", "a"] }], [nb("a")])).toEqual([nb("a")]);
  });
});

describe("mainDeckFirst", () => {
  it("puts the deck the site's root shows first, the others in their order", () => {
    const decks = [{ name: "authoring" }, { name: "b" }, { name: "talk" }];
    expect(mainDeckFirst(decks).map((d) => d.name)).toEqual(["talk", "authoring", "b"]);
  });
});
