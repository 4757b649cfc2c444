export interface FrontMatter {
  attributes: Record<string, string>;
  /**
   * The document with the front matter lines blanked out (not removed), so that line numbers
   * reported against `body` are line numbers in the original file.
   */
  body: string;
}

const FENCE = /^---[ \t]*$/;
const ATTRIBUTE = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/;

/**
 * Reads `---\nkey: value\n---` at the very top of a file. Only simple `key: value` lines are
 * understood; anything else means the block is not front matter (a deck may well open with a
 * `---` slide separator), and the text is returned unchanged.
 */
export function readFrontMatter(markdown: string): FrontMatter {
  const lines = markdown.split("\n");
  if (!FENCE.test(stripCR(lines[0] ?? ""))) return { attributes: {}, body: markdown };
  const attributes: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = stripCR(lines[i] ?? "");
    if (FENCE.test(line)) {
      const body = lines.map((text, j) => (j <= i ? "" : text)).join("\n");
      return { attributes, body };
    }
    if (line.trim() === "") continue;
    const match = ATTRIBUTE.exec(line);
    if (!match) break;
    attributes[match[1]!] = unquote(match[2]!);
  }
  return { attributes: {}, body: markdown };
}

function unquote(value: string): string {
  const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
  return quoted ? quoted[1]! : value;
}

function stripCR(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
