/**
 * The playground's model code as a slide shows code: highlighted as the build highlights
 * authors' cells (the same Lezer parser and `tok-*` classes), in the browser because the code
 * follows the controls.
 */
import { highlightJavaScript } from "../../compiler/highlight.ts";

export function codeBlock(code: string): HTMLPreElement {
  const pre = document.createElement("pre");
  pre.className = "pg-code";
  const element = document.createElement("code");
  // the highlighter escapes the source: only its own spans are markup
  element.innerHTML = highlightJavaScript(code);
  pre.append(element);
  return pre;
}
