export interface Attribute {
  name: string;
  /** as written in HTML (entities left alone); undefined for a bare attribute */
  value: string | undefined;
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Reads `name="value" name='value' name=value name` as in a start tag or a reveal comment. */
export function parseAttributes(text: string): Attribute[] {
  return Array.from(text.matchAll(ATTRIBUTE), (m) => ({
    name: m[1]!,
    value: m[2] ?? m[3] ?? m[4],
  }));
}

/**
 * Rewrites a start tag with extra attributes. A new value replaces an old one (as reveal's
 * `setAttribute` does), except `class`, which is added to so that slots keep `fd-slot`.
 */
export function setAttributes(startTag: string, extra: readonly Attribute[]): string {
  const match = /^<([^\s/>]+)([\s\S]*?)(\/?)>$/.exec(startTag);
  if (!match) return startTag;
  const [, name, rest, selfClosing] = match as unknown as [string, string, string, string];
  const attributes = parseAttributes(rest);
  for (const attribute of extra) {
    const existing = attributes.find((a) => a.name.toLowerCase() === attribute.name.toLowerCase());
    if (!existing) attributes.push({ ...attribute });
    else if (existing.name.toLowerCase() === "class" && existing.value && attribute.value) {
      const classes = new Set([...existing.value.split(/\s+/), ...attribute.value.split(/\s+/)]);
      existing.value = [...classes].filter(Boolean).join(" ");
    } else existing.value = attribute.value;
  }
  const serialized = attributes.map(({ name, value }) =>
    value === undefined ? ` ${name}` : ` ${name}="${value.replace(/"/g, "&quot;")}"`,
  );
  return `<${name}${serialized.join("")}${selfClosing ? " /" : ""}>`;
}

const VOID = new Set(
  "area base br col embed hr img input link meta param source track wbr".split(" "),
);
const RAW_TEXT = new Set(["script", "style", "textarea", "title"]);
const TOKEN =
  /<!--([\s\S]*?)-->|<\/([A-Za-z][^\s/>]*)\s*>|<([A-Za-z][^\s/>]*)(?:\s+(?:[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\/(?!>)))*\s*(\/?)>/g;
const ELEMENT_COMMENT = /^\s*\.element:\s*([\s\S]*?)\s*$/;
const SLIDE_COMMENT = /^\s*\.slide:\s*([\s\S]*?)\s*$/;

interface Span {
  start: number;
  end: number;
}

interface Frame {
  name: string;
  tag: Span | undefined;
  /** the last complete child element other than `<br>` */
  lastChild: Span | undefined;
}

/**
 * Applies reveal.js attribute comments to one slide's HTML, as reveal's Markdown plugin does:
 * `<!-- .element: … -->` goes to the previous sibling element (skipping `<br>`), else to the
 * comment's parent element, else to the slide; `<!-- .slide: … -->` goes to the slide. The
 * comments are removed. Returns the attributes for the slide's `<section>`.
 */
export function applyRevealComments(html: string): { html: string; slide: Attribute[] } {
  const slide: Attribute[] = [];
  const tagEdits = new Map<number, { span: Span; attributes: Attribute[] }>();
  const removals: Span[] = [];
  const stack: Frame[] = [{ name: "", tag: undefined, lastChild: undefined }];
  const top = () => stack[stack.length - 1]!;

  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    const span = { start: m.index, end: m.index + m[0].length };
    const [, comment, closing, opening, selfClosing] = m;
    if (comment !== undefined) {
      // A comment that is a whole line takes its line break with it when removed.
      const wholeLine =
        (span.start === 0 || html[span.start - 1] === "\n") && html[span.end] === "\n";
      if (wholeLine) span.end++;
      const element = ELEMENT_COMMENT.exec(comment);
      const slideAttributes = SLIDE_COMMENT.exec(comment);
      if (element) {
        const target = top().lastChild ?? top().tag;
        const attributes = parseAttributes(element[1]!);
        if (!target) slide.push(...attributes);
        else {
          const edit = tagEdits.get(target.start) ?? { span: target, attributes: [] };
          edit.attributes.push(...attributes);
          tagEdits.set(target.start, edit);
        }
        removals.push(span);
      } else if (slideAttributes) {
        slide.push(...parseAttributes(slideAttributes[1]!));
        removals.push(span);
      }
    } else if (closing !== undefined) {
      const name = closing.toLowerCase();
      const index = stack.findLastIndex((frame, i) => i > 0 && frame.name === name);
      if (index > 0) {
        const closed = stack[index]!;
        stack.length = index;
        if (closed.tag) top().lastChild = closed.tag;
      }
    } else if (opening !== undefined) {
      const name = opening.toLowerCase();
      if (VOID.has(name) || selfClosing) {
        if (name !== "br") top().lastChild = span;
      } else if (RAW_TEXT.has(name)) {
        const close = html.toLowerCase().indexOf(`</${name}`, span.end);
        TOKEN.lastIndex = close < 0 ? html.length : close;
        stack.push({ name, tag: span, lastChild: undefined });
      } else {
        stack.push({ name, tag: span, lastChild: undefined });
      }
    }
  }

  const replacements = [
    ...removals.map((span) => ({ span, text: "" })),
    ...[...tagEdits.values()].map(({ span, attributes }) => ({
      span,
      text: setAttributes(html.slice(span.start, span.end), attributes),
    })),
  ].sort((a, b) => a.span.start - b.span.start);
  let out = "";
  let at = 0;
  for (const { span, text } of replacements) {
    out += html.slice(at, span.start) + text;
    at = span.end;
  }
  out += html.slice(at);
  return { html: out, slide };
}
