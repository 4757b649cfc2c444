import { loopGuard as __flowdeckLoop } from "/src/runtime/loop-guard.ts";
export default {
  name: "fixture-basics",
  title: "Vectors, matrices, tensors",
  html: "<h1>Tensors in a notebook</h1>\n<p>Prose with inline maths <span class=\"katex\"><span class=\"katex-mathml\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics><mrow><msub><mo>∑</mo><mi>i</mi></msub><msub><mi>w</mi><mi>i</mi></msub><msub><mi>x</mi><mi>i</mi></msub></mrow><annotation encoding=\"application/x-tex\">\\sum_i w_i x_i</annotation></semantics></math></span><span class=\"katex-html\" aria-hidden=\"true\"><span class=\"base\"><span class=\"strut\" style=\"height:1.0497em;vertical-align:-0.2997em;\"></span><span class=\"mop\"><span class=\"mop op-symbol small-op\" style=\"position:relative;top:0em;\">∑</span><span class=\"msupsub\"><span class=\"vlist-t vlist-t2\"><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.162em;\"><span style=\"top:-2.4003em;margin-left:0em;margin-right:0.05em;\"><span class=\"pstrut\" style=\"height:2.7em;\"></span><span class=\"sizing reset-size6 size3 mtight\"><span class=\"mord mathnormal mtight\">i</span></span></span></span><span class=\"vlist-s\">​</span></span><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.2997em;\"><span></span></span></span></span></span></span><span class=\"mspace\" style=\"margin-right:0.1667em;\"></span><span class=\"mord\"><span class=\"mord mathnormal\" style=\"margin-right:0.0269em;\">w</span><span class=\"msupsub\"><span class=\"vlist-t vlist-t2\"><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.3117em;\"><span style=\"top:-2.55em;margin-left:-0.0269em;margin-right:0.05em;\"><span class=\"pstrut\" style=\"height:2.7em;\"></span><span class=\"sizing reset-size6 size3 mtight\"><span class=\"mord mathnormal mtight\">i</span></span></span></span><span class=\"vlist-s\">​</span></span><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.15em;\"><span></span></span></span></span></span></span><span class=\"mord\"><span class=\"mord mathnormal\">x</span><span class=\"msupsub\"><span class=\"vlist-t vlist-t2\"><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.3117em;\"><span style=\"top:-2.55em;margin-left:0em;margin-right:0.05em;\"><span class=\"pstrut\" style=\"height:2.7em;\"></span><span class=\"sizing reset-size6 size3 mtight\"><span class=\"mord mathnormal mtight\">i</span></span></span></span><span class=\"vlist-s\">​</span></span><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.15em;\"><span></span></span></span></span></span></span></span></span></span> and an inline value: the tensor has <span class=\"fd-slot\" data-slot=\"fixture-basics/cell-1\"></span> dimensions.\nA code span is not a cell: <code>${rank}</code>, and neither is an escaped ${rank}.</p>\n<p class=\"katex-block\"><span class=\"katex-display\"><span class=\"katex\"><span class=\"katex-mathml\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><semantics><mrow><mover accent=\"true\"><mi>y</mi><mo>^</mo></mover><mo>=</mo><mi>σ</mi><mo stretchy=\"false\">(</mo><mi>W</mi><mi>x</mi><mo>+</mo><mi>b</mi><mo stretchy=\"false\">)</mo></mrow><annotation encoding=\"application/x-tex\">\\hat{y} = \\sigma(Wx + b)\n</annotation></semantics></math></span><span class=\"katex-html\" aria-hidden=\"true\"><span class=\"base\"><span class=\"strut\" style=\"height:0.8889em;vertical-align:-0.1944em;\"></span><span class=\"mord accent\"><span class=\"vlist-t vlist-t2\"><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.6944em;\"><span style=\"top:-3em;\"><span class=\"pstrut\" style=\"height:3em;\"></span><span class=\"mord mathnormal\" style=\"margin-right:0.0359em;\">y</span></span><span style=\"top:-3em;\"><span class=\"pstrut\" style=\"height:3em;\"></span><span class=\"accent-body\" style=\"left:-0.1944em;\"><span class=\"mord\">^</span></span></span></span><span class=\"vlist-s\">​</span></span><span class=\"vlist-r\"><span class=\"vlist\" style=\"height:0.1944em;\"><span></span></span></span></span></span><span class=\"mspace\" style=\"margin-right:0.2778em;\"></span><span class=\"mrel\">=</span><span class=\"mspace\" style=\"margin-right:0.2778em;\"></span></span><span class=\"base\"><span class=\"strut\" style=\"height:1em;vertical-align:-0.25em;\"></span><span class=\"mord mathnormal\" style=\"margin-right:0.0359em;\">σ</span><span class=\"mopen\">(</span><span class=\"mord mathnormal\" style=\"margin-right:0.1389em;\">W</span><span class=\"mord mathnormal\">x</span><span class=\"mspace\" style=\"margin-right:0.2222em;\"></span><span class=\"mbin\">+</span><span class=\"mspace\" style=\"margin-right:0.2222em;\"></span></span><span class=\"base\"><span class=\"strut\" style=\"height:1em;vertical-align:-0.25em;\"></span><span class=\"mord mathnormal\">b</span><span class=\"mclose\">)</span></span></span></span></span></p>\n<div class=\"fd-slot\" data-slot=\"fixture-basics/rank\"></div>\n<div class=\"fd-slot\" data-slot=\"fixture-basics/cell-2\"></div>\n<p>An input shown with <code>view</code>:</p>\n<div class=\"fd-slot\" data-slot=\"fixture-basics/slider\"></div>\n<p>Top-level await:</p>\n<div class=\"fd-slot\" data-slot=\"fixture-basics/cell-3\"></div>\n<p>A generator that yields once per frame:</p>\n<div class=\"fd-slot\" data-slot=\"fixture-basics/step\"></div>\n<p>Shown but not run:</p>\n<pre><code class=\"language-js\"><span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">setBackend</span><span class=\"tok-punctuation\">(</span><span class=\"tok-string\">&quot;cpu&quot;</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>\n</code></pre>\n<pre><code class=\"language-py\">print(&quot;never run&quot;)\n</code></pre>\n<p>Nested: <span class=\"fd-slot\" data-slot=\"fixture-basics/cell-4\"></span>.</p>\n",
  cells: [
    {
      id: "cell-1",
      source: "rank",
      highlighted: "<span class=\"tok-variableName\">rank</span>",
      inline: true,
      echo: false,
      inputs: ["rank"],
      outputs: [],
      autodisplay: true,
      body: (rank) => {__flowdeckLoop("fixture-basics/cell-1");
return (
rank
)
},
    },
    {
      id: "rank",
      source: "const t = tf.tensor([[1, 2], [3, 4]]);\nconst rank = t.rank;",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">t</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">tf</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">tensor</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">[</span><span class=\"tok-punctuation\">[</span><span class=\"tok-number\">1</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">2</span><span class=\"tok-punctuation\">]</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-punctuation\">[</span><span class=\"tok-number\">3</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">4</span><span class=\"tok-punctuation\">]</span><span class=\"tok-punctuation\">]</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">rank</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">t</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">rank</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: true,
      inputs: ["tf"],
      outputs: ["t","rank"],
      autodisplay: false,
      body: (tf) => {__flowdeckLoop("fixture-basics/rank");
const t = tf.tensor([[1, 2], [3, 4]]);
const rank = t.rank;
return {t,rank};
},
    },
    {
      id: "cell-2",
      source: "t.shape",
      highlighted: "<span class=\"tok-variableName\">t</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">shape</span>",
      inline: false,
      echo: false,
      inputs: ["t"],
      outputs: [],
      autodisplay: true,
      body: (t) => {__flowdeckLoop("fixture-basics/cell-2");
return (
t.shape
)
},
    },
    {
      id: "slider",
      source: "const rate = view(Inputs.range([0, 1], {step: 0.01, label: \"rate\"}));",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">rate</span> <span class=\"tok-operator\">=</span> <span class=\"tok-variableName\">view</span><span class=\"tok-punctuation\">(</span><span class=\"tok-variableName\">Inputs</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">range</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">[</span><span class=\"tok-number\">0</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-number\">1</span><span class=\"tok-punctuation\">]</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-punctuation\">{</span><span class=\"tok-propertyName tok-definition\">step</span><span class=\"tok-punctuation\">:</span> <span class=\"tok-number\">0.01</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-propertyName tok-definition\">label</span><span class=\"tok-punctuation\">:</span> <span class=\"tok-string\">&quot;rate&quot;</span><span class=\"tok-punctuation\">}</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: ["view","Inputs"],
      outputs: ["rate"],
      autodisplay: false,
      body: (view,Inputs) => {__flowdeckLoop("fixture-basics/slider");
const rate = view(Inputs.range([0, 1], {step: 0.01, label: "rate"}));
return {rate};
},
    },
    {
      id: "cell-3",
      source: "const data = await fetch(\"data.json\").then((r) => r.json());",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">data</span> <span class=\"tok-operator\">=</span> <span class=\"tok-keyword\">await</span> <span class=\"tok-variableName\">fetch</span><span class=\"tok-punctuation\">(</span><span class=\"tok-string\">&quot;data.json&quot;</span><span class=\"tok-punctuation\">)</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">then</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">(</span><span class=\"tok-variableName tok-definition\">r</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-punctuation\">=&gt;</span> <span class=\"tok-variableName\">r</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">json</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: ["data"],
      autodisplay: false,
      body: async () => {__flowdeckLoop("fixture-basics/cell-3");
const data = await fetch("data.json").then((r) => {__flowdeckLoop("fixture-basics/cell-3");return (r.json());});
return {data};
},
    },
    {
      id: "step",
      source: "const step = (async function* () {\n  for (let i = 0; ; i++) yield i;\n})();",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">step</span> <span class=\"tok-operator\">=</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-keyword\">async</span> <span class=\"tok-keyword\">function</span><span class=\"tok-keyword\">*</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-punctuation\">{</span>\n  <span class=\"tok-keyword\">for</span> <span class=\"tok-punctuation\">(</span><span class=\"tok-keyword\">let</span> <span class=\"tok-variableName tok-definition\">i</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">0</span><span class=\"tok-punctuation\">;</span> <span class=\"tok-punctuation\">;</span> <span class=\"tok-variableName\">i</span><span class=\"tok-operator\">++</span><span class=\"tok-punctuation\">)</span> <span class=\"tok-keyword\">yield</span> <span class=\"tok-variableName\">i</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-punctuation\">}</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">(</span><span class=\"tok-punctuation\">)</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: ["step"],
      autodisplay: false,
      body: () => {__flowdeckLoop("fixture-basics/step");
const step = (async function* () {__flowdeckLoop("fixture-basics/step");
  for (let i = 0; ; i++) {__flowdeckLoop("fixture-basics/step");yield i;}
})();
return {step};
},
    },
    {
      id: "cell-4",
      source: " {a: 1, b: `x${rate}`}.b ",
      highlighted: " <span class=\"tok-punctuation\">{</span><span class=\"tok-labelName\">a</span><span class=\"tok-punctuation\">:</span> <span class=\"tok-number\">1</span><span class=\"tok-punctuation\">,</span> <span class=\"tok-variableName\">b</span><span class=\"tok-punctuation\">:</span> <span class=\"tok-string2\">`x</span><span class=\"tok-punctuation\">${</span><span class=\"tok-variableName\">rate</span><span class=\"tok-punctuation\">}</span><span class=\"tok-string2\">`</span><span class=\"tok-punctuation\">}</span>.<span class=\"tok-variableName\">b</span> ",
      inline: true,
      echo: false,
      inputs: ["rate"],
      outputs: [],
      autodisplay: true,
      body: (rate) => {__flowdeckLoop("fixture-basics/cell-4");
return (
 {a: 1, b: `x${rate}`}.b 
)
},
    },
  ],
};
