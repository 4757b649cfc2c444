import { describe, expect, it } from "vitest";
import { highlightJavaScript, highlightLanguage } from "../../src/compiler/highlight.ts";
import { transpileCell, unshownResult } from "../../src/compiler/transpile-cell.ts";

const block = { id: "c", inline: false, echo: false };

describe("transpileCell", () => {
  it("returns the references and declarations of a program cell", () => {
    const cell = transpileCell("const t = tf.tensor([1, 2]);\nconst rank = t.rank;", block);
    expect(cell.inputs).toEqual(["tf"]);
    expect(cell.outputs).toEqual(["t", "rank"]);
    expect(cell.autodisplay).toBe(false);
    expect(cell.error).toBeUndefined();
    expect(cell.body).toMatch(/^\(tf\) => \{/);
  });

  it("displays a bare expression", () => {
    const cell = transpileCell("t.shape", block);
    expect(cell).toMatchObject({ inputs: ["t"], outputs: [], autodisplay: true });
  });

  it("makes a cell async when it awaits at top level", () => {
    expect(transpileCell("const d = await load();", block).body).toMatch(/^async \(load\) =>/);
  });

  it("passes view and display as inputs and does not autodisplay them", () => {
    const cell = transpileCell("view(Inputs.range([0, 1]))", block);
    expect(cell.inputs).toEqual(["view", "Inputs"]);
    expect(cell.autodisplay).toBe(false);
    expect(cell.output).toBeUndefined();
  });

  it("reports a syntax error with a 1-based line and column and no body", () => {
    const cell = transpileCell("const a = 1;\nconst b = ;", block);
    expect(cell.body).toBeUndefined();
    expect(cell.error).toEqual({ message: "Unexpected token", line: 2, column: 11 });
  });

  it("reads the position of notebook-kit's own errors from the message suffix", () => {
    const cell = transpileCell("let a = 1;\n  x = 2;", block);
    expect(cell.error).toEqual({
      message: "Assignment to external variable 'x'",
      line: 2,
      column: 3,
    });
  });

  it("rejects top-level yield (generators must be explicit)", () => {
    expect(transpileCell("yield 1;", block).error?.message).toMatch(/yield/);
  });

  it("rejects a hashbang, which would break the emitted module", () => {
    expect(transpileCell("#!/usr/bin/env node\n1", block).error).toBeDefined();
  });

  it("requires an inline cell to be an expression", () => {
    const inline = { id: "i", inline: true, echo: false };
    expect(transpileCell("x * 2", inline).error).toBeUndefined();
    expect(transpileCell("const y = 1", inline).error?.message).toMatch(/expression/);
    expect(transpileCell("", inline).error).toBeDefined();
  });

  it("never throws on bad code", () => {
    for (const source of [
      "}",
      "{",
      "`",
      "import",
      "export const a = 1",
      "a =>",
      "\u0000",
      "return 1",
    ]) {
      expect(() => transpileCell(source, block)).not.toThrow();
      expect(transpileCell(source, block).error).toBeDefined();
    }
  });

  it("keeps id, source, echo and the highlighted source", () => {
    const cell = transpileCell("1 < 2", { id: "x", inline: false, echo: true });
    expect(cell).toMatchObject({ id: "x", source: "1 < 2", echo: true, inline: false });
    expect(cell.highlighted).toContain("&lt;");
  });
});

describe("highlight", () => {
  it("escapes and wraps tokens in tok-* spans", () => {
    const html = highlightJavaScript('const s = "<b>";');
    expect(html).toContain('<span class="tok-keyword">const</span>');
    expect(html).toContain("&lt;b&gt;");
    expect(html).not.toContain("<b>");
  });

  it("keeps line breaks", () => {
    expect(highlightJavaScript("a\nb").split("\n")).toHaveLength(2);
  });

  it("falls back to escaped text for other languages", () => {
    expect(highlightLanguage("print('<x>')", "py")).toBe("print('&lt;x&gt;')");
    expect(highlightLanguage("let x: number", "ts")).toContain("tok-");
  });
});

describe("a result a program cell computes and never shows", () => {
  it("names the trailing html`…` of a cell that imports, at its line", () => {
    const source = 'import {A} from "flowdeck/x";\n\nhtml`<b>${A}</b>`';
    expect(unshownResult(source)).toMatchObject({ line: 3, column: 1 });
    expect(unshownResult(source)?.message).toMatch(/display\(/);
  });
  it("is quiet for expressions, display(), declarations, calls and syntax errors", () => {
    expect(unshownResult("html`<b>hi</b>`")).toBeUndefined();
    expect(unshownResult('import {A} from "x";\ndisplay(html`${A}`);')).toBeUndefined();
    expect(unshownResult('import {A} from "x";\nconst b = html`${A}`;')).toBeUndefined();
    expect(unshownResult("const a = 1;\nconsole.log(a);")).toBeUndefined();
    expect(unshownResult("const = ;")).toBeUndefined();
  });
});
