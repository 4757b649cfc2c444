import type Token from "markdown-it/lib/token.mjs";

/** The plain text of the first level-1 heading, if any (for a title without front matter). */
export function firstHeading(tokens: readonly Token[]): string | undefined {
  const open = tokens.findIndex((t) => t.type === "heading_open" && t.tag === "h1");
  const inline = open < 0 ? undefined : tokens[open + 1];
  if (!inline?.children) return undefined;
  const text = inline.children
    .map((t) => (t.type === "softbreak" || t.type === "hardbreak" ? " " : plainContent(t)))
    .join("")
    .trim();
  return text || undefined;
}

function plainContent(token: Token): string {
  if (token.type === "html_inline") return "";
  if (token.children) return token.children.map(plainContent).join("");
  return token.content;
}
