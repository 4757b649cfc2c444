import { loopGuard as __flowdeckLoop } from "/src/runtime/loop-guard.ts";
export default {
  name: "fixture-untitled",
  title: "fixture-untitled",
  html: "<p>No heading here, so the title falls back to the file name.</p>\n<div class=\"fd-slot\" data-slot=\"fixture-untitled/cell-1\"></div>\n",
  cells: [
    {
      id: "cell-1",
      source: "Math.PI",
      highlighted: "<span class=\"tok-variableName\">Math</span><span class=\"tok-operator\">.</span><span class=\"tok-propertyName\">PI</span>",
      inline: false,
      echo: false,
      inputs: [],
      outputs: [],
      autodisplay: true,
      body: () => {__flowdeckLoop("fixture-untitled/cell-1");
return (
Math.PI
)
},
    },
  ],
};
