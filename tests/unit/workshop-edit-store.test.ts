import { describe, expect, it } from "vitest";
import { EditStore } from "../../src/workshop/edit-store.ts";
import { ProgressStore } from "../../src/workshop/progress-store.ts";
import type { StorageProblem } from "../../src/workshop/stored-record.ts";
import { memoryStorage } from "./support/memory-storage.ts";

function stores(initial: Record<string, string> = {}) {
  const storage = memoryStorage(initial);
  const problems: StorageProblem[] = [];
  return {
    storage,
    problems,
    edits: new EditStore(storage, (p) => problems.push(p)),
    progress: new ProgressStore(storage, (p) => problems.push(p)),
  };
}

describe("EditStore", () => {
  it("keeps edits per notebook and forgets them one cell at a time", () => {
    const { edits, storage } = stores();
    expect(edits.save("nb/a", { source: "2", baseSource: "1", savedAt: 1 })).toBe(true);
    expect(edits.save("nb/b", { source: "3", baseSource: "1", savedAt: 2 })).toBe(true);
    expect(edits.save("other/a", { source: "4", baseSource: "1", savedAt: 3 })).toBe(true);
    expect(edits.editedSources("nb")).toEqual({ a: "2", b: "3" });
    expect(edits.forget("nb/a")).toBe(true);
    expect(edits.edit("nb/a")).toBeUndefined();
    expect(edits.edit("nb/b")?.source).toBe("3");
    edits.forget("nb/b");
    expect(storage.data.has("flowdeck:edits:nb")).toBe(false);
    expect(storage.data.has("flowdeck:edits:other")).toBe(true);
  });

  it("stores a draft only when it differs from what runs", () => {
    const { edits } = stores();
    expect(edits.saveDraft("nb/a", "1", "1")).toBe(true);
    expect(edits.edit("nb/a")).toBeUndefined();
    edits.saveDraft("nb/a", "1 + 1", "1", 10);
    expect(edits.edit("nb/a")).toEqual({
      source: "1",
      baseSource: "1",
      draft: "1 + 1",
      savedAt: 10,
    });
    edits.save("nb/a", { source: "1 + 1", baseSource: "1", savedAt: 11 });
    edits.saveDraft("nb/a", "1 + 1", "1", 12);
    expect(edits.edit("nb/a")?.draft).toBeUndefined();
  });

  it("says when the browser refuses to keep an edit, and keeps what it had", () => {
    const { edits, storage } = stores();
    edits.save("nb/a", { source: "2", baseSource: "1", savedAt: 1 });
    storage.full = true;
    expect(edits.save("nb/a", { source: "3", baseSource: "1", savedAt: 2 })).toBe(false);
    expect(edits.saveDraft("nb/a", "4", "1")).toBe(false);
    storage.full = false;
    expect(edits.edit("nb/a")?.source).toBe("2");
  });

  it("sets aside a damaged record and reads it as absent", () => {
    const { edits, problems, storage } = stores({ "flowdeck:edits:nb": "{not json" });
    expect(edits.edit("nb/a")).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.reason).toMatch(/not valid JSON/);
    expect(storage.data.has("flowdeck:edits:nb")).toBe(false);
    expect([...storage.data.values()]).toEqual(["{not json"]);
  });

  it("refuses keys that are not cell keys", () => {
    const { edits } = stores();
    expect(
      edits.save("no-slash" as `${string}/${string}`, { source: "", baseSource: "", savedAt: 0 }),
    ).toBe(false);
  });
});

describe("ProgressStore", () => {
  it("records changes on top of what was there, starting from 'not started'", () => {
    const { progress } = stores();
    expect(progress.get("nb/ex").state).toBe("not started");
    progress.record("nb/ex", { hintsShown: 1 }, 5);
    progress.record("nb/ex", { state: "failing" }, 6);
    expect(progress.get("nb/ex")).toEqual({
      state: "failing",
      hintsShown: 1,
      solutionShown: false,
      updatedAt: 6,
    });
    expect(Object.keys(progress.all())).toEqual(["nb/ex"]);
  });
});
