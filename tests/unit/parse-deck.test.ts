import { describe, expect, it } from "vitest";
import { applyRevealComments } from "../../src/build/html-attributes.ts";
import { compileDeck } from "../../src/build/parse-deck.ts";
import { splitSlides } from "../../src/build/split-slides.ts";

const sectionCount = (html: string) => html.match(/<section[\s>]/g)?.length ?? 0;

describe("splitSlides", () => {
  it("splits on --- and --, recording each slide's first line", () => {
    const stacks = splitSlides("A\n---\nB\n--\nC\n---\nD");
    expect(stacks.map((s) => s.map((slide) => slide.content))).toEqual([
      [{ text: "A", startLine: 0 }],
      [
        { text: "B", startLine: 2 },
        { text: "C", startLine: 4 },
      ],
      [{ text: "D", startLine: 6 }],
    ]);
  });

  it("does not split inside fenced code, whatever the fence", () => {
    const md = "```md\n---\n--\n```\n~~~~\n---\n~~~\n---\n~~~~\n````js\n```\n---\n````\nend";
    expect(splitSlides(md)).toHaveLength(1);
  });

  it("needs the separator alone on its line", () => {
    expect(splitSlides("a ---\n----\n --- \n-- x")).toHaveLength(1);
    expect(splitSlides("a\n--- \nb")).toHaveLength(2);
  });

  it("starts notes at a Note: line, to the end of the slide", () => {
    const slide = splitSlides("Title\nNote: say hi\nmore\n---\nNext")[0]?.[0];
    expect(slide?.notes).toEqual({ text: " say hi\nmore", startLine: 1 });
  });
});

describe("applyRevealComments", () => {
  const apply = (html: string) => applyRevealComments(html);

  it("targets the parent when the comment has no previous sibling element", () => {
    expect(apply('<ul>\n<li>a <!-- .element: class="fragment" --></li>\n</ul>').html).toBe(
      '<ul>\n<li class="fragment">a </li>\n</ul>',
    );
  });

  it("targets the previous sibling element, skipping <br>", () => {
    const html = '<p><img src="x.png"> text<br> <!-- .element: class="r-stretch" --></p>';
    expect(apply(html).html).toBe('<p><img src="x.png" class="r-stretch"> text<br> </p>');
  });

  it("targets a previous block element when the comment is on its own line", () => {
    const html = '<p>one</p>\n<!-- .element: class="fragment" data-fragment-index="1" -->\n';
    expect(apply(html).html).toBe('<p class="fragment" data-fragment-index="1">one</p>\n');
  });

  it("adds to an existing class and replaces other attributes", () => {
    const html =
      '<div class="fd-slot" data-x="1"></div><!-- .element: class="fragment" data-x="2" -->';
    expect(apply(html).html).toBe('<div class="fd-slot fragment" data-x="2"></div>');
  });

  it("gives .slide comments and leading .element comments to the slide", () => {
    const result = apply(
      '<!-- .slide: data-background-color="#000" id=start data-auto-animate -->\n<p>x</p>',
    );
    expect(result.html).toBe("<p>x</p>");
    expect(result.slide).toEqual([
      { name: "data-background-color", value: "#000" },
      { name: "id", value: "start" },
      { name: "data-auto-animate", value: undefined },
    ]);
  });

  it("leaves ordinary comments and escaped code alone", () => {
    const html = '<!-- a comment --><pre><code>&lt;!-- .element: class="x" --&gt;</code></pre>';
    expect(apply(html)).toEqual({ html, slide: [] });
  });
});

describe("compileDeck", () => {
  it("nests vertical stacks and keeps code fences intact", () => {
    const md = "# One\n---\n## Two\n\n```\n---\n--\n```\n--\n## Three";
    const { deck } = compileDeck("d", md);
    expect(sectionCount(deck.html)).toBe(4);
    expect(deck.html).toMatch(
      /^<section>\n<h1>One<\/h1>\n<\/section>\n<section>\n<section>\n<h2>Two/,
    );
    expect(deck.html).toContain("<pre><code>---\n--\n</code></pre>");
  });

  it("puts .slide attributes on the slide's own section and ids only where set", () => {
    const md = '# A\n---\n<!-- .slide: id=two class="dark" -->\n## B\n--\n## C';
    const { deck } = compileDeck("d", md);
    expect(deck.html).toContain('<section id="two" class="dark">\n<h2>B</h2>');
    expect(deck.html.match(/ id=/g)).toHaveLength(1);
  });

  it("renders speaker notes as Markdown in an aside", () => {
    const { deck } = compileDeck("d", "# A\n\nNote:\n*say* this\n---\n# B");
    expect(deck.html).toContain(
      '<aside class="notes">\n<p><em>say</em> this</p>\n</aside>\n</section>',
    );
  });

  it("turns embed lines into slots and lists notebooks in first-use order", () => {
    const md = "{{ b/x }}\n---\nText\n{{ a/y code }}\n\n```js\n1\n```\n\n{{ b/z }}";
    const { deck } = compileDeck("talk", md);
    expect(deck.html).toContain('<div class="fd-slot" data-slot="b/x" data-code="false"></div>');
    expect(deck.html).toContain(
      '<p>Text</p>\n<div class="fd-slot" data-slot="a/y" data-code="true"></div>',
    );
    expect(deck.notebooks).toEqual(["b", "a", "deck-talk"]);
  });

  it("carries an embed's line highlights to its slot", () => {
    const { deck } = compileDeck("talk", "{{ a/y code lines=2|3-5, 7 }}");
    expect(deck.html).toContain(
      '<div class="fd-slot" data-slot="a/y" data-code="true" data-line-numbers="2|3-5,7"></div>',
    );
  });

  it("does not treat embeds inside code as embeds", () => {
    const { deck } = compileDeck("d", "```\n{{ a/b }}\n```\n\n`{{ a/c }}`");
    expect(deck.notebooks).toEqual([]);
  });

  it("warns about a malformed embed and shows it as text", () => {
    const { deck, warnings } = compileDeck("d", "# A\n---\n\n{{ nope }}");
    expect(deck.html).toContain("<p>{{ nope }}</p>");
    expect(warnings).toMatchObject([{ file: "slides/d.md", line: 4 }]);
  });

  it("collects own cells across slides into deck-<name>", () => {
    const md = "```js id=a echo\n1\n```\n---\n```js\n2\n```\nValue ${a}";
    const { deck } = compileDeck("talk", md);
    expect(deck.own.name).toBe("deck-talk");
    expect(deck.own.html).toBe("");
    expect(deck.own.cells.map((c) => c.id)).toEqual(["a", "cell-1", "cell-2"]);
    expect(deck.html).toContain('data-slot="deck-talk/a" data-code="true"');
    expect(deck.html).toContain(
      '<span class="fd-slot" data-slot="deck-talk/cell-2" data-code="false">',
    );
    expect(deck.notebooks).toEqual(["deck-talk"]);
  });

  it("reports an own cell's syntax error at its line in the deck file", () => {
    const md = "---\ntitle: T\n---\n# A\n---\n## B\n--\n\n```js\nconst a = 1;\nconst b = ;\n```";
    const { deck, warnings } = compileDeck("d", md);
    expect(deck.own.cells[0]!.error).toMatchObject({ line: 2, column: 11 });
    expect(warnings).toEqual([
      { file: "slides/d.md", line: 11, column: 11, message: 'Cell "cell-1": Unexpected token' },
    ]);
  });

  it("does not treat cells or embeds in notes as live", () => {
    const { deck } = compileDeck("d", "# A\nNote:\n```js\n1\n```\n${x}\n{{ a/b }}");
    expect(deck.own.cells).toEqual([]);
    expect(deck.notebooks).toEqual([]);
  });

  it("takes the title from front matter, else the first h1, else the name", () => {
    expect(compileDeck("d", "---\ntitle: FM\n---\n# H").deck.title).toBe("FM");
    expect(compileDeck("d", "## h2\n---\n# H1").deck.title).toBe("H1");
    expect(compileDeck("d", "text").deck.title).toBe("d");
  });

  it("never throws on odd input", () => {
    for (const input of [
      "",
      "---",
      "--",
      "Note:",
      "{{",
      "{{ }}",
      "<!-- .slide: -->",
      "<!--",
      "```",
    ]) {
      expect(() => compileDeck("d", input)).not.toThrow();
    }
  });
});
