import { describe, expect, it } from "vitest";
import { PageJournal, STALE_MS } from "../../src/workshop/page-journal.ts";
import { memoryStorage } from "./support/memory-storage.ts";

function pages() {
  const storage = memoryStorage();
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const journal = (id: string) =>
    new PageJournal({ storage, id, page: `/page-${id}`, onProblem: () => {}, now: () => now });
  return { storage, clock, journal };
}

describe("PageJournal", () => {
  it("holds back the edited cells that ran in a page that stopped beating while visible", () => {
    const { clock, journal } = pages();
    const first = journal("a");
    expect(first.open()).toEqual({});
    first.ran("nb/x");
    first.ran("nb/y");
    clock.advance(STALE_MS + 1); // frozen: no beat, no close
    const next = journal("b").open();
    expect(Object.keys(next).sort()).toEqual(["nb/x", "nb/y"]);
    expect(next["nb/x"]).toMatchObject({ reason: "froze", page: "/page-a" });
  });

  it("holds nothing after a page that closed normally, or one that is alive or hidden", () => {
    const { clock, journal } = pages();
    const closed = journal("a");
    closed.open();
    closed.ran("nb/x");
    closed.close();
    const alive = journal("b");
    alive.open();
    alive.ran("nb/y");
    const hidden = journal("c");
    hidden.open();
    hidden.ran("nb/z");
    hidden.setHidden(true);
    clock.advance(STALE_MS / 2);
    alive.beat();
    clock.advance(STALE_MS / 2 + 1);
    expect(journal("d").open()).toEqual({});
  });

  it("holds back only the cell whose code emptied the page, even though the page then closed", () => {
    const { journal } = pages();
    const page = journal("a");
    page.open();
    page.ran("nb/x");
    page.ran("nb/wipe");
    page.emptied("nb/wipe");
    page.close();
    expect(journal("b").open()).toEqual({
      "nb/wipe": expect.objectContaining({ reason: "emptied" }),
    });
  });

  it("keeps holds across loads until released, and reads each dead journal once", () => {
    const { clock, journal, storage } = pages();
    const page = journal("a");
    page.open();
    page.ran("nb/x");
    clock.advance(STALE_MS + 1);
    const second = journal("b");
    expect(Object.keys(second.open())).toEqual(["nb/x"]);
    second.close();
    const third = journal("c");
    expect(Object.keys(third.open())).toEqual(["nb/x"]);
    third.release("nb/x");
    expect(third.holds()).toEqual({});
    expect([...storage.data.keys()].filter((k) => k.startsWith("flowdeck:journal:"))).toEqual([
      "flowdeck:journal:c",
    ]);
  });
});
