import MarkdownIt from "markdown-it";
import katexModule from "@vscode/markdown-it-katex";
import { highlightLanguage } from "../compiler/highlight.ts";

type KatexPlugin = typeof katexModule;

// The package is CommonJS with `exports.default`; Node's ESM loader hands us the exports object.
const katexPlugin: KatexPlugin =
  (katexModule as KatexPlugin & { default?: KatexPlugin }).default ?? katexModule;

/**
 * A markdown-it instance as Flowdeck renders prose: raw HTML allowed (slides need it), KaTeX
 * rendered at build time, fenced code highlighted at build time into
 * `<pre><code class="language-x">`.
 */
export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({
    html: true,
    linkify: false,
    typographer: false,
    highlight: (source, language) => highlightLanguage(source, language),
  });
  md.use(katexPlugin, { throwOnError: false });
  return md;
}
