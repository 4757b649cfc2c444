import { describe, expect, it } from "vitest";
import { compileNotebook } from "../../src/build/parse-notebook.ts";
import { readFrontMatter } from "../../src/build/front-matter.ts";

const fence = (info: string, code: string) => "```" + info + "\n" + code + "\n```\n";

describe("compileNotebook: error positions in the Markdown file", () => {
  it("maps a block cell's error to the file, after front matter and prose", () => {
    const md = [
      "---", // 1
      "title: T", // 2
      "---", // 3
      "", // 4
      "Some prose.", // 5
      "", // 6
      "```js id=bad", // 7
      "const a = 1;", // 8
      "const b = a +;", // 9
      "```", // 10
    ].join("\n");
    const { notebook, warnings } = compileNotebook("n", md);
    expect(notebook.cells[0]!.error).toEqual({ message: "Unexpected token", line: 2, column: 14 });
    expect(warnings).toEqual([
      { file: "notebooks/n.md", line: 9, column: 14, message: 'Cell "bad": Unexpected token' },
    ]);
  });

  it("adds the indentation of a fence nested in a list", () => {
    const md = "- item\n\n  ```js\n  1 +\n  ```\n";
    const { warnings } = compileNotebook("n", md, "x.md");
    expect(warnings).toEqual([{ file: "x.md", line: 4, column: 6, message: expect.any(String) }]);
  });

  it("maps an inline cell's error to its line and column in the paragraph", () => {
    const md = "# T\n\nFirst line of the paragraph,\nthen a broken ${ a + } value.\n";
    const { warnings } = compileNotebook("n", md);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 4, column: 22 });
    expect(md.split("\n")[3]![21]).toBe("}");
  });
});

describe("compileNotebook: inline cells", () => {
  it("finds ${…} in prose, tables and headings", () => {
    const md = "# ${title}\n\nText ${a}.\n\n| x |\n| - |\n| ${b} |\n";
    const { notebook } = compileNotebook("n", md);
    expect(notebook.cells.map((c) => [c.id, c.source, c.inline])).toEqual([
      ["cell-1", "title", true],
      ["cell-2", "a", true],
      ["cell-3", "b", true],
    ]);
    expect(notebook.html).toContain('<span class="fd-slot" data-slot="n/cell-2"></span>');
  });

  it("ignores ${…} in code spans, code blocks, escapes and raw HTML attributes", () => {
    const md = [
      "A `${code}` span and an escaped \\${escaped}.",
      "",
      fence("text", "${fenced}"),
      "    ${indented}",
      "",
      '<a title="${attr}">link</a>',
    ].join("\n");
    const { notebook } = compileNotebook("n", md);
    expect(notebook.cells).toEqual([]);
    expect(notebook.html).toContain("<code>${code}</code>");
    expect(notebook.html).toContain("escaped ${escaped}");
  });

  it("balances braces, strings and template literals", () => {
    const md = 'Value: ${ {a: "}", b: `${x}}`}.a } and ${y}.';
    const { notebook } = compileNotebook("n", md);
    expect(notebook.cells.map((c) => c.source)).toEqual([' {a: "}", b: `${x}}`}.a ', "y"]);
  });

  it("leaves an unclosed ${ as text", () => {
    const { notebook, warnings } = compileNotebook("n", "Price: ${ 5 dollars");
    expect(notebook.cells).toEqual([]);
    expect(warnings).toEqual([]);
    expect(notebook.html).toContain("${ 5 dollars");
  });

  it("still renders $…$ maths next to inline cells", () => {
    const { notebook } = compileNotebook("n", "Maths $x^2$ and a value ${x}.");
    expect(notebook.html).toContain('class="katex"');
    expect(notebook.cells).toHaveLength(1);
  });
});

describe("compileNotebook: cells and ids", () => {
  it("numbers unnamed cells in document order, inline cells included", () => {
    const md = fence("js", "1") + "\nText ${2}.\n\n" + fence("js id=named", "3") + fence("js", "4");
    const ids = compileNotebook("n", md).notebook.cells.map((c) => c.id);
    expect(ids).toEqual(["cell-1", "cell-2", "named", "cell-3"]);
  });

  it("never gives an unnamed cell an id that an author chose", () => {
    const md = fence("js", "1") + fence("js id=cell-1", "2");
    const ids = compileNotebook("n", md).notebook.cells.map((c) => c.id);
    expect(ids).toEqual(["cell-2", "cell-1"]);
  });

  it("renames a duplicate id and warns at the later fence", () => {
    const md = fence("js id=a", "1") + "\n" + fence("js id=a", "2");
    const { notebook, warnings } = compileNotebook("n", md);
    expect(notebook.cells.map((c) => c.id)).toEqual(["a", "a-2"]);
    expect(warnings).toEqual([
      {
        file: "notebooks/n.md",
        line: 5,
        column: 1,
        message: 'Duplicate cell id "a": this cell is renamed "a-2"',
      },
    ]);
    expect(notebook.html).toContain('data-slot="n/a-2"');
  });

  it("reads echo and run=false; run=false fences stay highlighted code", () => {
    const md =
      fence("js echo", "1") + fence("js run=false", "tf.setBackend('cpu')") + fence("json", "{}");
    const { notebook } = compileNotebook("n", md);
    expect(notebook.cells).toHaveLength(1);
    expect(notebook.cells[0]!.echo).toBe(true);
    expect(notebook.html).toContain('<pre><code class="language-js"><span class="tok-');
    expect(notebook.html).toContain('<code class="language-json">{}');
  });

  it("keeps the cell source verbatim, without the fence's final newline", () => {
    const { notebook } = compileNotebook("n", fence("js", "  const a = 1;\n\n// end"));
    expect(notebook.cells[0]!.source).toBe("  const a = 1;\n\n// end");
  });
});

describe("compileNotebook: title and robustness", () => {
  it("takes the title from front matter, else the first # heading, else the name", () => {
    expect(compileNotebook("n", "---\ntitle: 'From FM'\n---\n# H").notebook.title).toBe("From FM");
    expect(compileNotebook("n", "## Not h1\n\n# The *title*").notebook.title).toBe("The title");
    expect(compileNotebook("name", "text").notebook.title).toBe("name");
  });

  it("does not render front matter", () => {
    const { notebook } = compileNotebook("n", "---\ntitle: T\n---\nBody");
    expect(notebook.html).toBe("<p>Body</p>\n");
  });

  it("never throws on odd input", () => {
    const inputs = [
      "",
      "```js",
      "${",
      "${}",
      "---",
      "---\ntitle: x",
      "```js id=\n}",
      "\u0000${\u0000}",
    ];
    for (const input of inputs) expect(() => compileNotebook("n", input)).not.toThrow();
  });
});

describe("readFrontMatter", () => {
  it("blanks the front matter so that line numbers are kept", () => {
    const { attributes, body } = readFrontMatter("---\ntitle: A: B\nx: 1\n---\nText");
    expect(attributes).toEqual({ title: "A: B", x: "1" });
    expect(body).toBe("\n\n\n\nText");
  });

  it("is not front matter unless every line is key: value and it is closed", () => {
    expect(readFrontMatter("---\n# Slide\n---\n").attributes).toEqual({});
    expect(readFrontMatter("---\ntitle: x\n").body).toBe("---\ntitle: x\n");
  });
});
