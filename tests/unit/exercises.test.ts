import { describe, expect, it } from "vitest";
import { compileNotebook } from "../../src/build/parse-notebook.ts";

const fence = (info: string, body: string) => "```" + info + "\n" + body + "\n```\n\n";

describe("exercises in a notebook", () => {
  const source =
    "## Add one\n\n" +
    fence("js id=inc exercise", "function inc(x) { return x; }") +
    fence("hint for=inc", "Use **+**.") +
    fence("hint for=inc", "`x + 1`") +
    fence("js solution=inc", "function inc(x) { return x + 1; }") +
    fence("js check=inc", "await check.returns(inc, [1], 2);") +
    fence("hint for=nothing", "lost");

  const { notebook, warnings } = compileNotebook("nb", source);

  it("attaches hints (as HTML) and the solution to the exercise cell", () => {
    const inc = notebook.cells.find((c) => c.id === "inc");
    expect(inc?.exercise).toEqual({
      hints: ["<p>Use <strong>+</strong>.</p>\n", "<p><code>x + 1</code></p>\n"],
      solution: "function inc(x) { return x + 1; }",
    });
  });

  it("marks check cells and keeps solutions and hints out of the prose and the cells", () => {
    expect(notebook.cells.map((c) => [c.id, c.checks])).toEqual([
      ["inc", undefined],
      ["cell-1", "inc"],
    ]);
    expect(notebook.html).not.toContain("x + 1");
    expect(notebook.html).not.toContain("lost");
  });

  it("warns about parts that belong to no exercise", () => {
    expect(warnings.map((w) => w.message)).toEqual(['Hint for unknown exercise "nothing"']);
  });
});
