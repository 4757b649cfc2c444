import { loopGuard as __flowdeckLoop } from "/src/runtime/loop-guard.ts";
export default {
  name: "fixture-errors",
  title: "Errors and duplicates",
  html: "<h1>Errors and duplicates</h1>\n<div class=\"fd-slot\" data-slot=\"fixture-errors/a\"></div>\n<p>Some text.</p>\n<div class=\"fd-slot\" data-slot=\"fixture-errors/a-2\"></div>\n<div class=\"fd-slot\" data-slot=\"fixture-errors/cell-1\"></div>\n<p>An inline error <span class=\"fd-slot\" data-slot=\"fixture-errors/cell-2\"></span> in a paragraph.</p>\n<div class=\"fd-slot\" data-slot=\"fixture-errors/cell-3\"></div>\n<div class=\"fd-slot\" data-slot=\"fixture-errors/a-3\"></div>\n",
  cells: [
    {
      id: "a",
      source: "1 + 1",
      highlighted: "<span class=\"tok-number\">1</span> <span class=\"tok-operator\">+</span> <span class=\"tok-number\">1</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: [],
      autodisplay: true,
      body: () => {__flowdeckLoop("fixture-errors/a");
return (
1 + 1
)
},
    },
    {
      id: "a-2",
      source: "const a2 = 2;",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">a2</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">2</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: ["a2"],
      autodisplay: false,
      body: () => {__flowdeckLoop("fixture-errors/a-2");
const a2 = 2;
return {a2};
},
    },
    {
      id: "cell-1",
      source: "const x = 1;\nconst y = ;",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">x</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">1</span><span class=\"tok-punctuation\">;</span>\n<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">y</span> <span class=\"tok-operator\">=</span> <span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: [],
      autodisplay: false,
      error: {"message":"Unexpected token","line":2,"column":11},
    },
    {
      id: "cell-2",
      source: " 1 + ",
      highlighted: " <span class=\"tok-number\">1</span> <span class=\"tok-operator\">+</span> ",
      inline: true,
      echo: false,
      inputs: [],
      outputs: [],
      autodisplay: false,
      error: {"message":"Unexpected token","line":1,"column":6},
    },
    {
      id: "cell-3",
      source: "const z = 3;",
      highlighted: "<span class=\"tok-keyword\">const</span> <span class=\"tok-variableName tok-definition\">z</span> <span class=\"tok-operator\">=</span> <span class=\"tok-number\">3</span><span class=\"tok-punctuation\">;</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: ["z"],
      autodisplay: false,
      body: () => {__flowdeckLoop("fixture-errors/cell-3");
const z = 3;
return {z};
},
    },
    {
      id: "a-3",
      source: "\"third a\"",
      highlighted: "<span class=\"tok-string\">&quot;third a&quot;</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: [],
      autodisplay: true,
      body: () => {__flowdeckLoop("fixture-errors/a-3");
return (
"third a"
)
},
    },
  ],
};
