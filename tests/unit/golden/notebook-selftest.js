import { loopGuard as __flowdeckLoop } from "/src/runtime/loop-guard.ts";
import { importModule as __flowdeckImport } from "/src/lib/registry.ts";
export default {
  name: "selftest",
  title: "Engine self-test: faults on purpose",
  html: "<h1>Engine self-test: faults on purpose</h1>\n<p>This page is part of Flowdeck's browser tests, and also a gallery: it shows what a reader sees\nwhen a cell goes wrong. Some cells below fail <strong>on purpose</strong>. Each failure should stay in its own\nbox, say what went wrong and where, and leave every other cell, and the navigation above,\nworking.</p>\n<h2>A cell that works</h2>\n<p>TensorFlow.js adds four numbers. If this shows 10, the backend named in the sentence computed it.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/ok\"></div>\n<p>An inline cell in prose: twice the total is <span class=\"fd-slot\" data-slot=\"selftest/cell-1\"></span>.</p>\n<h2>A loop that pauses</h2>\n<p>A generator yields the next whole number on every animation frame. Scroll it out of view (or, on\na slide, leave the slide) and it stops counting; bring it back and it carries on from where it\nstopped, rather than starting again from zero.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/counter\"></div>\n<h2>A tensor that must not leak</h2>\n<p>This cell makes a tensor and returns it. It re-runs whenever <code>width</code> changes (resize the window):\nthe engine must dispose the old tensor each time, so the live tensor count in the corner stays\nthe same however often it re-runs.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/leak-check\"></div>\n<h2>A shared module</h2>\n<p>Cells import the project's shared code by name (<code>flowdeck/&lt;name&gt;</code>), never by a path into the\nsource tree, so the same import works in a reader's edit on the built site.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/shared\"></div>\n<h2>A syntax error</h2>\n<p>The second line of this cell does not parse. The build still succeeds (with a warning); the cell\nshows its name, the line and the column of the mistake instead of an output.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/syntax\"></div>\n<h2>A cell that throws</h2>\n<div class=\"fd-slot\" data-slot=\"selftest/throws\"></div>\n<h2>A cell that rejects</h2>\n<p>An <code>await</code> that fails is reported like a <code>throw</code>, once the promise rejects.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/rejects\"></div>\n<h2>A cell whose input failed</h2>\n<p>This cell is fine, but it reads <code>fromThrows</code>, which the throwing cell above never got to\ndefine. It should say which input failed and in which cell, rather than repeat the message as if\nit were its own.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/dependent\"></div>\n<h2>A cell that does not care</h2>\n<p>This one depends only on the working cell at the top, so the failures above leave it alone.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/independent\"></div>\n<h2>What to look for</h2>\n<ul>\n<li>Every failing cell shows a message in place of its output, in a box that screen readers\nannounce (<code>role=&quot;alert&quot;</code>), starting with the cell's name (<code>selftest/throws</code>, …).</li>\n<li>The syntax error gives a line and a column counted from the first line of the cell.</li>\n<li>The dependent cell names the input (<code>fromThrows</code>) and the cell that failed\n(<code>selftest/throws</code>).</li>\n<li>The working cells, the counter and the navigation links keep working.</li>\n<li>The indicator in the corner names the backend, says whether the renderer is software, and\nshows a tensor count that does not creep up.</li>\n</ul>\n<p>The tests that read this page live in <code>tests/browser/faults.test.ts</code>,\n<code>tests/browser/pause.test.ts</code> and <code>tests/browser/memory.test.ts</code>.</p>\n<h2>A loop that never ends</h2>\n<p>This cell loops forever. The engine stops it after about two seconds, shows why, and the page\nstays responsive: every other cell above kept working.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/runaway\"></div>\n<h2>An allocation far too large</h2>\n<p>Ten billion zeros (40 GB) cannot be allocated. The cell fails with a message that says so, and\nTensorFlow.js keeps working for the next cell.</p>\n<div class=\"fd-slot\" data-slot=\"selftest/huge\"></div>\n<div class=\"fd-slot\" data-slot=\"selftest/after-huge\"></div>\n",
  cells: [
    {
      id: "ok",
      source: "const total = tf.tidy(() => tf.tensor1d([1, 2, 3, 4]).sum().arraySync());\ndisplay(html`<p>1 + 2 + 3 + 4 = <strong class=\"selftest-total\">${total}</strong>, computed by TensorFlow.js on the <code>${tf.getBackend()}</code> backend.</p>`);",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">total</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">tidy</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-punctuation\">=&gt;</span> <span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">tensor1d</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">[</span><span class=\"tok-number\">1</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">2</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">3</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">4</span><span class=\"tok-punctuation\">]</span><span class=\"tok-punctuation\">)</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">sum</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">arraySync</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-variableName\">display</span><span class=\"tok-punctuation\">(</span><span class=\"tok-variableName\">html</span><span class=\"tok-string2\">`&lt;p&gt;1 + 2 + 3 + 4 = &lt;strong class=&quot;selftest-total&quot;&gt;</span><span class=\"tok-punctuation\">${</span><span class=\"tok-variableName\">total</span><span class=\"tok-punctuation\">}</span><span class=\"tok-string2\">&lt;/strong&gt;, computed by TensorFlow.js on the &lt;code&gt;</span><span class=\"tok-punctuation\">${</span><span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">getBackend</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">}</span><span class=\"tok-string2\">&lt;/code&gt; backend.&lt;/p&gt;`</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: true,
      inputs: ["tf","display","html"],
      outputs: ["total"],
      autodisplay: false,
      body: (tf,display,html) => {__flowdeckLoop("selftest/ok");
const total = tf.tidy(() => {__flowdeckLoop("selftest/ok");return (tf.tensor1d([1, 2, 3, 4]).sum().arraySync());});
display(html`<p>1 + 2 + 3 + 4 = <strong class="selftest-total">${total}</strong>, computed by TensorFlow.js on the <code>${tf.getBackend()}</code> backend.</p>`);
return {total};
},
    },
    {
      id: "cell-1",
      source: "total * 2",
      highlighted: "<span class=\"tok-variableName\">total</span> <span class=\"tok-operator\">*</span> <span class=\"tok-number\">2</span>",
      inline: true,
      echo: false,
      inputs: ["total"],
      outputs: [],
      autodisplay: true,
      body: (total) => {__flowdeckLoop("selftest/cell-1");
return (
total * 2
)
},
    },
    {
      id: "counter",
      source: "(function* () {\n  for (let i = 0; ; i++) yield i;\n})()",
      highlighted: "<span class=\"tok-punctuation\">(</span><span class=\"tok-keyword\">function</span><span class=\"tok-keyword\">*</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-punctuation\">{</span>\n  <span class=\"tok-keyword\">for</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-keyword\">let</span> <span class=\"tok-variableName tok-definition\">i</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">0</span><span class=\"tok-punctuation\">;</span> <span class=\"tok-punctuation\">;</span> <span class=\"tok-variableName\">i</span><span class=\"tok-operator\">++</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-keyword\">yield</span> <span class=\"tok-variableName\">i</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-punctuation\">}</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: [],
      autodisplay: true,
      body: () => {__flowdeckLoop("selftest/counter");
return (
(function* () {__flowdeckLoop("selftest/counter");
  for (let i = 0; ; i++) {__flowdeckLoop("selftest/counter");yield i;}
})()
)
},
    },
    {
      id: "leak-check",
      source: "const probe = tf.randomNormal([32, 32], 0, 1, \"float32\", 2016);\ndisplay(html`<p>A ${probe.shape.join(\" × \")} tensor, made for a column ${width} px wide.</p>`);",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">probe</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">randomNormal</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">[</span><span class=\"tok-number\">32</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">32</span><span class=\"tok-punctuation\">]</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">0</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">1</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-string\">&quot;float32&quot;</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">2016</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-variableName\">display</span><span class=\"tok-punctuation\">(</span><span class=\"tok-variableName\">html</span><span class=\"tok-string2\">`&lt;p&gt;A </span><span class=\"tok-punctuation\">${</span><span class=\"tok-variableName\">probe</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">shape</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">join</span><span class=\"tok-punctuation\">(</span><span class=\"tok-string\">&quot; × &quot;</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">}</span><span class=\"tok-string2\"> tensor, made for a column </span><span class=\"tok-punctuation\">${</span><span class=\"tok-variableName\">width</span><span class=\"tok-punctuation\">}</span><span class=\"tok-string2\"> px wide.&lt;/p&gt;`</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: true,
      inputs: ["tf","display","html","width"],
      outputs: ["probe"],
      autodisplay: false,
      body: (tf,display,html,width) => {__flowdeckLoop("selftest/leak-check");
const probe = tf.randomNormal([32, 32], 0, 1, "float32", 2016);
display(html`<p>A ${probe.shape.join(" × ")} tensor, made for a column ${width} px wide.</p>`);
return {probe};
},
    },
    {
      id: "shared",
      source: "import {PIXELS} from \"flowdeck/mnist\";\nconst pixelsPerDigit = PIXELS * PIXELS;\ndisplay(html`<p>An MNIST digit has <strong class=\"selftest-pixels\">${pixelsPerDigit}</strong> pixels.</p>`);",
      highlighted: "<span class=\"tok-keyword\">import</span> <span class=\"tok-punctuation\">{</span><span class=\"tok-variableName tok-definition\">PIXELS</span><span class=\"tok-punctuation\">}</span> <span class=\"tok-keyword\">from</span> <span class=\"tok-string\">&quot;flowdeck/mnist&quot;</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">pixelsPerDigit</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">PIXELS</span> <span class=\"tok-operator\">*</span> <span class=\"tok-variableName\">PIXELS</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-variableName\">display</span><span class=\"tok-punctuation\">(</span><span class=\"tok-variableName\">html</span><span class=\"tok-string2\">`&lt;p&gt;An MNIST digit has &lt;strong class=&quot;selftest-pixels&quot;&gt;</span><span class=\"tok-punctuation\">${</span><span class=\"tok-variableName\">pixelsPerDigit</span><span class=\"tok-punctuation\">}</span><span class=\"tok-string2\">&lt;/strong&gt; pixels.&lt;/p&gt;`</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: true,
      inputs: ["display","html"],
      outputs: ["PIXELS","pixelsPerDigit"],
      autodisplay: false,
      body: async (display,html) => {__flowdeckLoop("selftest/shared");
const {PIXELS} = await __flowdeckImport("flowdeck/mnist").then((module) => {__flowdeckLoop("selftest/shared");
  if (!("PIXELS" in module)) throw new SyntaxError(`export 'PIXELS' not found`);
  return module;
});
const pixelsPerDigit = PIXELS * PIXELS;
display(html`<p>An MNIST digit has <strong class="selftest-pixels">${pixelsPerDigit}</strong> pixels.</p>`);
return {PIXELS,pixelsPerDigit};
},
    },
    {
      id: "syntax",
      source: "const a = 1;\nconst b = (a +;",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">a</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">1</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">b</span> <span class=\"tok-operator\">=</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-variableName\">a</span> <span class=\"tok-operator\">+</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: true,
      inputs: [],
      outputs: [],
      autodisplay: false,
      error: {"message":"Unexpected token","line":2,"column":15},
    },
    {
      id: "throws",
      source: "const fromThrows = 21;\nthrow new Error(\"selftest: thrown on purpose\");",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">fromThrows</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">21</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-keyword\">throw</span> <span class=\"tok-keyword\">new</span> <span class=\"tok-className\">Error</span><span class=\"tok-punctuation\">(</span><span class=\"tok-string\">&quot;selftest: thrown on purpose&quot;</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: true,
      inputs: [],
      outputs: ["fromThrows"],
      autodisplay: false,
      body: () => {__flowdeckLoop("selftest/throws");
const fromThrows = 21;
throw new Error("selftest: thrown on purpose");
return {fromThrows};
},
    },
    {
      id: "rejects",
      source: "const late = await new Promise((resolve, reject) =>\n  setTimeout(() => reject(new Error(\"selftest: rejected on purpose\")), 20)\n);",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">late</span> <span class=\"tok-operator\">=</span> <span class=\"tok-keyword\">await</span> <span class=\"tok-keyword\">new</span> <span class=\"tok-className\">Promise</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">(</span><span class=\"tok-variableName tok-definition\">resolve</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-variableName tok-definition\">reject</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-punctuation\">=&gt;</span>\n  <span class=\"tok-variableName\">setTimeout</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-punctuation\">=&gt;</span> <span class=\"tok-variableName\">reject</span><span class=\"tok-punctuation\">(</span><span class=\"tok-keyword\">new</span> <span class=\"tok-className\">Error</span><span class=\"tok-punctuation\">(</span><span class=\"tok-string\">&quot;selftest: rejected on purpose&quot;</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">20</span><span class=\"tok-punctuation\">)</span>\n<span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: true,
      inputs: [],
      outputs: ["late"],
      autodisplay: false,
      body: async () => {__flowdeckLoop("selftest/rejects");
const late = await new Promise((resolve, reject) =>
  {__flowdeckLoop("selftest/rejects");return (setTimeout(() => {__flowdeckLoop("selftest/rejects");return (reject(new Error("selftest: rejected on purpose")));}, 20));}
);
return {late};
},
    },
    {
      id: "dependent",
      source: "fromThrows * 2",
      highlighted: "<span class=\"tok-variableName\">fromThrows</span> <span class=\"tok-operator\">*</span> <span class=\"tok-number\">2</span>",
      inline: false,
      echo: true,
      inputs: ["fromThrows"],
      outputs: [],
      autodisplay: true,
      body: (fromThrows) => {__flowdeckLoop("selftest/dependent");
return (
fromThrows * 2
)
},
    },
    {
      id: "independent",
      source: "const doubled = total * 2;\ndisplay(html`<p>Twice the total is <strong class=\"selftest-doubled\">${doubled}</strong>.</p>`);",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">doubled</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">total</span> <span class=\"tok-operator\">*</span> <span class=\"tok-number\">2</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-variableName\">display</span><span class=\"tok-punctuation\">(</span><span class=\"tok-variableName\">html</span><span class=\"tok-string2\">`&lt;p&gt;Twice the total is &lt;strong class=&quot;selftest-doubled&quot;&gt;</span><span class=\"tok-punctuation\">${</span><span class=\"tok-variableName\">doubled</span><span class=\"tok-punctuation\">}</span><span class=\"tok-string2\">&lt;/strong&gt;.&lt;/p&gt;`</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: true,
      inputs: ["total","display","html"],
      outputs: ["doubled"],
      autodisplay: false,
      body: (total,display,html) => {__flowdeckLoop("selftest/independent");
const doubled = total * 2;
display(html`<p>Twice the total is <strong class="selftest-doubled">${doubled}</strong>.</p>`);
return {doubled};
},
    },
    {
      id: "runaway",
      source: "let spins = 0;\nwhile (true) spins++;",
      highlighted: "<span class=\"tok-keyword\">let</span> <span class=\"tok-variableName tok-definition\">spins</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">0</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-keyword\">while</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-bool\">true</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-variableName\">spins</span><span class=\"tok-operator\">++</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: ["spins"],
      autodisplay: false,
      body: () => {__flowdeckLoop("selftest/runaway");
let spins = 0;
while (true) {__flowdeckLoop("selftest/runaway");spins++;}
return {spins};
},
    },
    {
      id: "huge",
      source: "const huge = tf.zeros([1e5, 1e5]);",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">huge</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">zeros</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">[</span><span class=\"tok-number\">1e5</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">1e5</span><span class=\"tok-punctuation\">]</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: ["tf"],
      outputs: ["huge"],
      autodisplay: false,
      body: (tf) => {__flowdeckLoop("selftest/huge");
const huge = tf.zeros([1e5, 1e5]);
return {huge};
},
    },
    {
      id: "after-huge",
      source: "const stillWorks = tf.tidy(() => tf.tensor1d([2, 3]).prod().arraySync());\ndisplay(html`<p>After the failed allocation, TensorFlow.js still computes 2 × 3 = <strong class=\"selftest-after-huge\">${stillWorks}</strong>.</p>`);",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">stillWorks</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">tidy</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-punctuation\">=&gt;</span> <span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">tensor1d</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">[</span><span class=\"tok-number\">2</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">3</span><span class=\"tok-punctuation\">]</span><span class=\"tok-punctuation\">)</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">prod</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">arraySync</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-variableName\">display</span><span class=\"tok-punctuation\">(</span><span class=\"tok-variableName\">html</span><span class=\"tok-string2\">`&lt;p&gt;After the failed allocation, TensorFlow.js still computes 2 × 3 = &lt;strong class=&quot;selftest-after-huge&quot;&gt;</span><span class=\"tok-punctuation\">${</span><span class=\"tok-variableName\">stillWorks</span><span class=\"tok-punctuation\">}</span><span class=\"tok-string2\">&lt;/strong&gt;.&lt;/p&gt;`</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: ["tf","display","html"],
      outputs: ["stillWorks"],
      autodisplay: false,
      body: (tf,display,html) => {__flowdeckLoop("selftest/after-huge");
const stillWorks = tf.tidy(() => {__flowdeckLoop("selftest/after-huge");return (tf.tensor1d([2, 3]).prod().arraySync());});
display(html`<p>After the failed allocation, TensorFlow.js still computes 2 × 3 = <strong class="selftest-after-huge">${stillWorks}</strong>.</p>`);
return {stillWorks};
},
    },
  ],
};
