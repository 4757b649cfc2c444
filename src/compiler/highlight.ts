import { classHighlighter, highlightCode } from "@lezer/highlight";
import { parser } from "@lezer/javascript";
import { escapeHtml } from "./html.ts";

const typescriptParser = parser.configure({ dialect: "ts" });
const jsxParser = parser.configure({ dialect: "jsx" });

/** JavaScript highlighted at build time as escaped HTML with `tok-*` spans (no `<pre>` wrapper). */
export function highlightJavaScript(source: string): string {
  return highlightWith(parser, source);
}

/**
 * Highlights a fenced block by its language name. Only the JavaScript family is parsed; anything
 * else comes back as escaped plain text so that it is still safe to inline.
 */
export function highlightLanguage(source: string, language: string): string {
  switch (language.toLowerCase()) {
    case "js":
    case "javascript":
    case "mjs":
    case "cjs":
      return highlightWith(parser, source);
    case "ts":
    case "typescript":
      return highlightWith(typescriptParser, source);
    case "jsx":
      return highlightWith(jsxParser, source);
    default:
      return escapeHtml(source);
  }
}

function highlightWith(language: typeof parser, source: string): string {
  let html = "";
  highlightCode(
    source,
    language.parse(source),
    classHighlighter,
    (text, classes) => {
      const escaped = escapeHtml(text);
      html += classes ? `<span class="${classes}">${escaped}</span>` : escaped;
    },
    () => {
      html += "\n";
    },
  );
  return html;
}
