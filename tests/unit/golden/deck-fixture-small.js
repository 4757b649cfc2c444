import { loopGuard as __flowdeckLoop } from "/src/runtime/loop-guard.ts";
export default {
  name: "fixture-small",
  title: "A live talk",
  html: "<section id=\"intro\" class=\"title\" data-background-color=\"#000\">\n<h1>Deep learning, live</h1>\n<aside class=\"notes\">\n<p>Welcome everyone. Mention <span class=\"katex\"><span class=\"katex-mathml\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics><mrow><mi>e</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></mrow><annotation encoding=\"application/x-tex\">e = mc^2</annotation></semantics></math></span><span class=\"katex-html\" aria-hidden=\"true\"><span class=\"base\"><span class=\"strut\" style=\"height:0.4306em;\"></span><span class=\"mord mathnormal\">e</span><span class=\"mspace\" style=\"margin-right:0.2778em;\"></span><span class=\"mrel\">=</span><span class=\"mspace\" style=\"margin-right:0.2778em;\"></span></span><span class=\"base\"><span class=\"strut\" style=\"height:0.8141em;\"></span><span class=\"mord mathnormal\">m</span><span class=\"mord\"><span class=\"mord mathnormal\">c</span><span class=\"msupsub\"><span class=\"vlist-t\"><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.8141em;\"><span style=\"top:-3.063em;margin-right:0.05em;\"><span class=\"pstrut\" style=\"height:2.7em;\"></span><span class=\"sizing reset-size6 size3 mtight\"><span class=\"mord mtight\">2</span></span></span></span></span></span></span></span></span></span></span>.</p>\n</aside>\n</section>\n<section>\n<h2>Fragments</h2>\n<ul>\n<li class=\"fragment\">appears first </li>\n<li class=\"fragment\" data-fragment-index=\"2\">appears second </li>\n</ul>\n<p class=\"fragment fade-in\">A paragraph that fades in.</p>\n</section>\n<section>\n<section>\n<h2>Embedded cells</h2>\n<div class=\"fd-slot\" data-slot=\"tensors/rank\" data-code=\"false\"></div>\n<div class=\"fd-slot\" data-slot=\"training/loss\" data-code=\"true\"></div>\n<div class=\"fd-slot\" data-slot=\"tensors/rank\" data-code=\"true\"></div>\n</section>\n<section>\n<h2>A vertical slide</h2>\n<div class=\"fd-slot\" data-slot=\"deck-fixture-small/clock\" data-code=\"true\"></div>\n<p>The clock reads <span class=\"fd-slot\" data-slot=\"deck-fixture-small/cell-1\" data-code=\"false\"></span>.</p>\n</section>\n<section data-auto-animate>\n<h2>Code with a separator inside</h2>\n<pre><code class=\"language-md\">---\ntitle: not front matter\n---\n--\nNote: not notes either\n</code></pre>\n<pre><code class=\"language-text\">---\n</code></pre>\n</section>\n</section>\n<section>\n<h2>Own cells</h2>\n<div class=\"fd-slot\" data-slot=\"deck-fixture-small/cell-2\" data-code=\"false\"></div>\n<div class=\"fd-slot\" data-slot=\"deck-talk/clock\" data-code=\"false\"></div>\n<aside class=\"notes\">\n<p>Speaker notes with a list:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</aside>\n</section>",
  notebooks: ["tensors","training","deck-fixture-small","deck-talk"],
  own: {
    name: "deck-fixture-small",
    title: "A live talk",
    html: "",
    cells: [
      {
        id: "clock",
        source: "const clock = (async function* () {\n  for (let i = 0; ; i++) yield i;\n})();",
        highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">clock</span> <span class=\"tok-operator\">=</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-keyword\">async</span> <span class=\"tok-keyword\">function</span><span class=\"tok-keyword\">*</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-punctuation\">{</span>\n  <span class=\"tok-keyword\">for</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-keyword\">let</span> <span class=\"tok-variableName tok-definition\">i</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">0</span><span class=\"tok-punctuation\">;</span> <span class=\"tok-punctuation\">;</span> <span class=\"tok-variableName\">i</span><span class=\"tok-operator\">++</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-keyword\">yield</span> <span class=\"tok-variableName\">i</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-punctuation\">}</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
        inline: false,
        echo: true,
        inputs: [],
        outputs: ["clock"],
        autodisplay: false,
        body: () => {__flowdeckLoop("deck-fixture-small/clock");
const clock = (async function* () {__flowdeckLoop("deck-fixture-small/clock");
  for (let i = 0; ; i++) {__flowdeckLoop("deck-fixture-small/clock");yield i;}
})();
return {clock};
},
      },
      {
        id: "cell-1",
        source: "clock",
        highlighted: "<span class=\"tok-variableName\">clock</span>",
        inline: true,
        echo: false,
        inputs: ["clock"],
        outputs: [],
        autodisplay: true,
        body: (clock) => {__flowdeckLoop("deck-fixture-small/cell-1");
return (
clock
)
},
      },
      {
        id: "cell-2",
        source: "const broken = ;",
        highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">broken</span> <span class=\"tok-operator\">=</span> <span class=\"tok-punctuation\">;</span>",
        inline: false,
        echo: false,
        inputs: [],
        outputs: [],
        autodisplay: false,
        error: {"message":"Unexpected token","line":1,"column":16},
      },
    ],
  },
};
export const loaders = {
  "tensors": () => import("/notebooks/tensors.md"),
  "training": () => import("/notebooks/training.md"),
  "deck-talk": () => import("/notebooks/deck-talk.md"),
};
