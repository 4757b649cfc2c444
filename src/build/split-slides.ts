/** A piece of the deck's Markdown and where it starts in the file. */
export interface SourceSpan {
  text: string;
  /** 0-based line in the file of the text's first line */
  startLine: number;
}

export interface SlideSource {
  content: SourceSpan;
  /** what follows the `Note:` line, if any */
  notes?: SourceSpan;
}

/** A horizontal slide: one slide, or several stacked vertically. */
export type StackSource = SlideSource[];

const HORIZONTAL = /^---[ \t]*\r?$/;
const VERTICAL = /^--[ \t]*\r?$/;
const NOTES = /^\s*notes?:/i;
const FENCE_OPEN = /^\s*(`{3,}|~{3,})(.*)$/;

/**
 * Splits a deck with reveal.js's Markdown separators: `---` (horizontal), `--` (vertical) and
 * `Note:` (speaker notes to the slide's end), each on a line of its own. Lines inside fenced
 * code are never separators.
 */
export function splitSlides(markdown: string): StackSource[] {
  const lines = markdown.split("\n");
  const stacks: StackSource[] = [];
  let stack: StackSource = [];
  let content: string[] = [];
  let contentStart = 0;
  let notes: string[] | undefined;
  let notesStart = 0;
  let fence: string | undefined;

  const endSlide = (nextStart: number) => {
    const slide: SlideSource = { content: { text: content.join("\n"), startLine: contentStart } };
    if (notes) slide.notes = { text: notes.join("\n"), startLine: notesStart };
    stack.push(slide);
    content = [];
    notes = undefined;
    contentStart = nextStart;
  };

  lines.forEach((line, i) => {
    if (fence === undefined && HORIZONTAL.test(line)) {
      endSlide(i + 1);
      stacks.push(stack);
      stack = [];
    } else if (fence === undefined && VERTICAL.test(line)) {
      endSlide(i + 1);
    } else if (fence === undefined && notes === undefined && NOTES.test(line)) {
      notes = [line.replace(NOTES, "")];
      notesStart = i;
    } else {
      fence = nextFenceState(fence, line);
      (notes ?? content).push(line);
    }
  });
  endSlide(lines.length);
  stacks.push(stack);
  return stacks;
}

/** CommonMark fences: closed by the same character, at least as long, nothing after it. */
function nextFenceState(fence: string | undefined, line: string): string | undefined {
  const match = FENCE_OPEN.exec(line);
  if (!match) return fence;
  const [, marker, rest] = match as unknown as [string, string, string];
  if (fence === undefined) {
    return marker[0] === "`" && rest.includes("`") ? undefined : marker;
  }
  const closes = marker[0] === fence[0] && marker.length >= fence.length && rest.trim() === "";
  return closes ? undefined : fence;
}
