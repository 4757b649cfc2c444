import { describe, expect, it } from "vitest";
import { editStatus, isNotebookEdits, type NotebookEdits } from "../../src/workshop/edits.ts";
import { exerciseState } from "../../src/workshop/progress.ts";
import {
  RecordStore,
  decodeRecord,
  describeProblem,
  encodeRecord,
  type StorageLike,
  type StorageProblem,
} from "../../src/workshop/stored-record.ts";
import { exportRecords, importRecords } from "../../src/workshop/transfer.ts";

function memoryStorage(
  initial: Record<string, string> = {},
): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
    key: (i) => [...data.keys()][i] ?? null,
    get length() {
      return data.size;
    },
  };
}

const edits: NotebookEdits = { a: { source: "1 + 1", baseSource: "1", savedAt: 5 } };

describe("stored records", () => {
  it("round-trips and rejects what is not theirs, saying why", () => {
    const text = encodeRecord("flowdeck-edits", edits);
    expect(decodeRecord(text, "flowdeck-edits", isNotebookEdits)).toEqual({
      ok: true,
      data: edits,
    });
    const reasons = [
      text.slice(0, text.length - 7),
      text.replace("1 + 1", "1 + 2"),
      encodeRecord("flowdeck-progress", edits),
      JSON.stringify({ hello: "world" }),
      encodeRecord("flowdeck-edits", { a: { source: 3 } }),
    ].map((bad) => {
      const decoded = decodeRecord(bad, "flowdeck-edits", isNotebookEdits);
      return decoded.ok ? "accepted" : decoded.reason;
    });
    expect(reasons).toEqual([
      "not valid JSON (truncated or corrupt)",
      "checksum mismatch (the record was altered or cut short)",
      'a "flowdeck-progress" record where "flowdeck-edits" was expected',
      "not a Flowdeck record",
      expect.stringMatching(/checksum|unexpected contents/),
    ]);
  });

  it("moves a bad record aside, reports it and reads it as absent", () => {
    const storage = memoryStorage({ "flowdeck:edits:nb": '{"format":"flowdeck-edits","vers' });
    const problems: StorageProblem[] = [];
    const store = new RecordStore({
      storage,
      format: "flowdeck-edits",
      validate: isNotebookEdits,
      onProblem: (p) => problems.push(p),
    });
    expect(store.read("flowdeck:edits:nb")).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.movedTo).toMatch(/^flowdeck:quarantine:\d+:flowdeck:edits:nb$/);
    expect(storage.data.get(problems[0]!.movedTo ?? "")).toBe('{"format":"flowdeck-edits","vers');
    expect(storage.data.has("flowdeck:edits:nb")).toBe(false);
  });

  it("with storage full, leaves a bad record in place, says so truthfully, and only once", () => {
    const storage = memoryStorage({ "flowdeck:edits:nb": "{damaged" });
    storage.setItem = () => {
      throw new DOMException("full", "QuotaExceededError");
    };
    const problems: StorageProblem[] = [];
    const store = new RecordStore({
      storage,
      format: "flowdeck-edits",
      validate: isNotebookEdits,
      onProblem: (p) => problems.push(p),
    });
    for (let i = 0; i < 30; i++) expect(store.read("flowdeck:edits:nb")).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.movedTo).toBeUndefined();
    expect(describeProblem(problems[0]!)).toMatch(/could not be set aside \(storage is full\)/);
    expect(storage.data.get("flowdeck:edits:nb")).toBe("{damaged");
  });

  it("keeps working when the browser refuses storage", () => {
    const refusing: StorageLike = {
      ...memoryStorage(),
      setItem: () => {
        throw new DOMException("full", "QuotaExceededError");
      },
    };
    const store = new RecordStore({
      storage: refusing,
      format: "f",
      validate: isNotebookEdits,
      onProblem: () => {},
    });
    expect(store.write("flowdeck:x", edits)).toBe(false);
  });
});

describe("edits and progress", () => {
  it("an edit made against an older version of the cell is stale", () => {
    expect(editStatus(edits.a!, "1").kind).toBe("current");
    expect(editStatus(edits.a!, "2")).toMatchObject({ kind: "stale", authorSource: "2" });
  });

  it("an exercise passes only once edited and every check is ready", () => {
    expect(exerciseState({ edited: false, solutionShown: false, checks: ["error"] })).toBe(
      "not started",
    );
    expect(exerciseState({ edited: true, solutionShown: false, checks: ["ready", "error"] })).toBe(
      "failing",
    );
    expect(exerciseState({ edited: true, solutionShown: false, checks: ["ready", "ready"] })).toBe(
      "passed",
    );
    expect(exerciseState({ edited: true, solutionShown: false, checks: [] })).toBe("failing");
    expect(exerciseState({ edited: true, solutionShown: true, checks: ["ready"] })).toBe(
      "solution shown",
    );
  });
});

describe("export and import", () => {
  it("carries valid records over and skips damaged ones", () => {
    const source = memoryStorage({
      "flowdeck:edits:nb": encodeRecord("flowdeck-edits", edits),
      "flowdeck:edits:broken": "{nope",
      "flowdeck:quarantine:1:x": "junk",
      "other-app": "keep out",
    });
    const file = exportRecords(source, new Date(0));
    expect(Object.keys(JSON.parse(file).records)).toEqual(["flowdeck:edits:nb"]);
    const target = memoryStorage();
    const tampered = JSON.parse(file);
    tampered.records["flowdeck:edits:evil"] = "{}";
    // a valid progress record under an edits key: the wrong kind of record for its key
    tampered.records["flowdeck:edits:wrong"] = encodeRecord("flowdeck-progress", {});
    tampered.records["flowdeck:elsewhere"] = encodeRecord("flowdeck-edits", edits);
    const result = importRecords(target, JSON.stringify(tampered));
    expect(result.imported).toEqual(["flowdeck:edits:nb"]);
    expect(result.rejected.map((r) => r.key).sort()).toEqual([
      "flowdeck:edits:evil",
      "flowdeck:edits:wrong",
      "flowdeck:elsewhere",
    ]);
    // Imported code is kept, but marked as not yet accepted: it does not run by itself.
    const stored = decodeRecord(
      target.data.get("flowdeck:edits:nb")!,
      "flowdeck-edits",
      isNotebookEdits,
    );
    expect(stored.ok && stored.data.a).toEqual({ ...edits.a, pending: "imported" });
    expect(() => importRecords(target, '{"format":"other"}')).toThrow("not a Flowdeck export");
  });
});
