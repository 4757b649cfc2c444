/**
 * The DOM of one shown cell, and the only code that touches it: an element carrying `data-cell`
 * and `data-state`, a bar of actions, a notice, the highlighted code or an editor in its place,
 * panels (an exercise), the output (where Notebook Kit renders the value) and an alert that
 * replaces the output on error. Everything else (the workshop, slides, links, pages) goes
 * through the methods below, never through class names.
 */
import type { CellKey } from "../compiler/cell-key.ts";
import type { CellState } from "../runtime/cell-state.ts";
import { STALL_MS, type CellEvent, type LoadedCell, type NotebookHost } from "../runtime/host.ts";

export interface CellViewOptions {
  /** show the code above the output */
  showCode: boolean;
  /** offer a button that shows and hides the code */
  codeToggle: boolean;
}

export interface CellAction {
  label: string;
  title: string;
  run: () => void;
  /** before the other actions rather than after */
  first?: boolean;
}

/** A notice is text and buttons, in order. */
export type NoticePart = string | Node | { label: string; title: string; run: () => void };

/** What a page reads and writes of a cell that shows an input (`view(…)`). */
interface ValueElement extends Element {
  value: unknown;
}

export class CellView {
  readonly key: CellKey;
  readonly inline: boolean;
  readonly #host: NotebookHost;
  readonly #element: HTMLElement;
  readonly #bar: HTMLElement;
  readonly #notice: HTMLElement;
  readonly #code: HTMLElement | undefined;
  readonly #editor: HTMLElement;
  readonly #panels: HTMLElement;
  readonly #output: HTMLElement;
  readonly #alert: HTMLElement;
  readonly #stalled: HTMLElement;
  readonly #actions = new Map<string, HTMLButtonElement>();
  readonly #unwatch: () => void;
  readonly #resize: ResizeObserver | undefined;
  #state: CellState;
  /** the code's markup, put in the listing only once it is shown (see #fillCode) */
  #highlighted = "";
  #codeFilled = false;
  /** taken out of the document while its slide is far (see park); its place is kept here */
  #parkedFrom: HTMLElement | undefined;

  constructor(host: NotebookHost, key: CellKey, cell: LoadedCell, options: CellViewOptions) {
    this.#host = host;
    this.key = key;
    this.inline = cell.inline;
    const tag = cell.inline ? "span" : "div";
    const part = <K extends keyof HTMLElementTagNameMap>(name: K, className: string) => {
      const element = document.createElement(name);
      element.className = className;
      return element;
    };
    this.#element = part(tag, cell.inline ? "fd-cell fd-cell-inline" : "fd-cell");
    this.#element.dataset.cell = key;
    this.#state = host.stateOf(key) ?? "pending";
    this.#element.dataset.state = this.#state;
    this.#bar = part(tag, "fd-cell-bar");
    this.#notice = part(tag, "fd-notice");
    this.#notice.setAttribute("role", "status");
    this.#notice.hidden = true;
    this.#editor = part(tag, "fd-editor");
    this.#editor.hidden = true;
    this.#panels = part("div", "fd-panels");
    this.#output = part(tag, "fd-output");
    this.#stalled = part(tag, "fd-stalled");
    this.#stalled.setAttribute("role", "status");
    this.#stalled.hidden = true;
    this.#stalled.textContent = `Still running after ${STALL_MS / 1000} s (waiting for something that may never come): the page no longer waits for it. Edit or reload to try again.`;
    this.#alert = part(tag, "fd-error");
    this.#alert.setAttribute("role", "alert");
    this.#alert.hidden = true;
    if (!cell.inline) {
      this.#code = part("pre", "fd-code");
      this.#code.hidden = !(options.showCode || cell.echo);
      this.#setCode(cell.highlighted);
      this.#element.append(this.#bar, this.#notice, this.#code, this.#editor);
      if (options.codeToggle) this.#addCodeToggle();
    }
    this.#element.append(this.#output, this.#stalled, this.#alert);
    if (cell.inline) {
      // In prose, the bar follows the value, and a notice or an editor opens in a panel below it.
      const panel = part("span", "fd-inline-panel");
      panel.append(this.#notice, this.#editor);
      this.#element.append(this.#bar, panel);
    } else {
      this.#element.append(this.#panels);
    }
    this.#adopt(host.root(key));
    this.#unwatch = host.watch(key, (event) => this.#hear(event));
    this.#resize =
      cell.inline || typeof ResizeObserver !== "function"
        ? undefined
        : new ResizeObserver(() => this.#reportWidth());
    this.#resize?.observe(this.#element);
  }

  get state(): CellState {
    return this.#state;
  }

  /** Puts the cell in `slot` (moving it from wherever it was). */
  placeIn(slot: HTMLElement): void {
    this.#parkedFrom = undefined;
    slot.replaceChildren(this.#element);
    this.#reportWidth();
  }

  /** The element the cell is placed in, if any (parked, the place it returns to). */
  get place(): HTMLElement | null {
    return this.#parkedFrom ?? this.#element.parentElement;
  }

  /** Whether the cell is inside `root` (a slide, a page section), parked or not. */
  isWithin(root: Node): boolean {
    return root.contains(this.#parkedFrom ?? this.#element);
  }

  /**
   * Takes the cell's DOM out of the document, its place kept: for a slide far from the one
   * shown, so that what walks the page (reveal.js on every key press, style and layout) does
   * not walk it. The cell goes on running and drawing into it meanwhile.
   */
  park(): void {
    const place = this.#element.parentElement;
    if (this.#parkedFrom || !place) return;
    this.#parkedFrom = place;
    this.#element.remove();
  }

  /** Puts a parked cell back in its place. */
  unpark(): void {
    const place = this.#parkedFrom;
    if (!place) return;
    this.#parkedFrom = undefined;
    place.replaceChildren(this.#element);
  }

  /**
   * Moves the cell to `slot`, which takes over from its place (a copy of it, after the page
   * rewrote its HTML): a parked cell stays parked, with `slot` emptied as its place.
   */
  moveTo(slot: HTMLElement): void {
    if (this.#parkedFrom) {
      this.#parkedFrom = slot;
      slot.replaceChildren();
    } else {
      this.placeIn(slot);
    }
  }

  get parked(): boolean {
    return this.#parkedFrom !== undefined;
  }

  scrollIntoView(): void {
    this.#element.scrollIntoView({ block: "start" });
  }

  // Code

  get codeShown(): boolean {
    return !!this.#code && !this.#code.hidden;
  }

  showCode(show: boolean): void {
    if (!this.#code) return;
    this.#code.hidden = !show || !this.#editor.hidden;
    this.#fillCode();
    this.#actions.get("code")?.setAttribute("aria-expanded", String(show));
  }

  // Actions: buttons in the cell's bar, by id (`edit`, `run`, `code`, …)

  addAction(id: string, action: CellAction): void {
    if (this.#actions.has(id)) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = id === "code" ? "fd-code-toggle" : `fd-${id}-button`;
    button.textContent = action.label;
    button.title = action.title;
    button.addEventListener("click", action.run);
    this.#actions.set(id, button);
    if (action.first) this.#bar.prepend(button);
    else this.#bar.append(button);
  }

  hasAction(id: string): boolean {
    return this.#actions.has(id);
  }

  removeAction(id: string): void {
    this.#actions.get(id)?.remove();
    this.#actions.delete(id);
  }

  focusAction(id: string): void {
    this.#actions.get(id)?.focus();
  }

  // Notice: one message about the cell besides its own error (an outdated edit, a conflict)

  setNotice(parts: readonly NoticePart[] | undefined): void {
    this.#notice.replaceChildren(...(parts ?? []).map(noticePart));
    this.#notice.hidden = !parts?.length;
  }

  /** An element for something the notice shows beside its text (e.g. a comparison). */
  appendToNotice(element: HTMLElement): void {
    this.#notice.append(element);
  }

  // Editor: a slot an editor mounts into, shown in place of the highlighted code

  get editing(): boolean {
    return !this.#editor.hidden;
  }

  /** Shows the editor slot, empty, and returns it; keys typed in it never reach the page's shortcuts. */
  openEditorSlot(): HTMLElement {
    const codeWasShown = this.codeShown;
    this.#editor.replaceChildren();
    this.#editor.hidden = false;
    this.#editor.onkeydown = (event) => event.stopPropagation();
    if (this.#code) this.#code.hidden = true;
    this.#code?.toggleAttribute("data-was-shown", codeWasShown);
    this.#element.classList.add("fd-editing");
    return this.#editor;
  }

  closeEditorSlot(): void {
    this.#editor.replaceChildren();
    this.#editor.hidden = true;
    if (this.#code) this.#code.hidden = !this.#code.hasAttribute("data-was-shown");
    this.#fillCode();
    this.#element.classList.remove("fd-editing");
  }

  // Panels: sections under the output that belong to other layers (an exercise's hints)

  addPanel(panel: HTMLElement): void {
    this.#panels.append(panel);
  }

  // Marks: data attributes that say what the cell is (`edited`, `exercise`, `check`)

  setMark(name: "edited" | "exercise" | "check" | "conflict", value: string | undefined): void {
    if (value === undefined) delete this.#element.dataset[name];
    else this.#element.dataset[name] = value;
  }

  // Input: the value of the input a `view(…)` cell shows

  /** The input's current value, or undefined when the cell shows no input. */
  inputValue(): { value: unknown } | undefined {
    const input = this.#input();
    return input ? { value: input.value } : undefined;
  }

  /** Sets the input as if the reader had; returns false when the cell shows no input. */
  setInputValue(value: unknown): boolean {
    const input = this.#input();
    if (!input) return false;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  /** Listens to the reader changing the cell's input. */
  onInput(listener: () => void): () => void {
    this.#output.addEventListener("input", listener);
    return () => this.#output.removeEventListener("input", listener);
  }

  // Printing

  /** Replaces every canvas in the output by an image of what it shows (for print and PDF). */
  freezeCanvases(): number {
    let frozen = 0;
    for (const canvas of Array.from(this.#output.querySelectorAll("canvas"))) {
      let url: string;
      try {
        url = canvas.toDataURL("image/png");
      } catch {
        continue; // a tainted canvas cannot be read; leave it as it is
      }
      const image = document.createElement("img");
      image.src = url;
      image.width = canvas.width;
      image.height = canvas.height;
      image.className = canvas.className;
      image.style.cssText = canvas.style.cssText;
      // Stylesheets that place a canvas (layers stacked over each other) do not match an img.
      const computed = getComputedStyle(canvas);
      for (const name of FROZEN_LAYOUT) {
        const value = computed.getPropertyValue(name);
        if (value) image.style.setProperty(name, value);
      }
      image.alt = canvas.getAttribute("aria-label") ?? "";
      canvas.replaceWith(image);
      frozen++;
    }
    return frozen;
  }

  dispose(): void {
    this.#parkedFrom = undefined;
    this.#unwatch();
    this.#resize?.disconnect();
    this.#element.remove();
  }

  #hear(event: CellEvent): void {
    if (event.type === "stalled") {
      this.#element.dataset.stalled = "";
      this.#stalled.hidden = false;
      return;
    }
    if (event.type === "redefined") {
      this.#adopt(event.root);
      this.#setCode(event.cell.highlighted);
      return;
    }
    this.#state = event.state;
    this.#element.dataset.state = event.state;
    if (event.state !== "running") {
      delete this.#element.dataset.stalled;
      this.#stalled.hidden = true;
    }
    const failed = event.state === "error";
    this.#alert.hidden = !failed;
    this.#output.hidden = failed;
    this.#alert.textContent = failed ? (event.error ?? "Error") : "";
  }

  #adopt(root: HTMLElement | undefined): void {
    if (!root) return;
    root.classList.add("fd-root");
    this.#output.replaceChildren(root);
  }

  #setCode(highlighted: string): void {
    if (!this.#code) return;
    const code = document.createElement("code");
    code.className = "language-js";
    this.#code.replaceChildren(code);
    this.#highlighted = highlighted;
    this.#codeFilled = false;
    this.#fillCode();
  }

  /**
   * A highlighted listing is hundreds of elements, and a deck holds every cell it has shown:
   * reveal.js walks all of them on each key press. A hidden listing stays empty until shown.
   */
  #fillCode(): void {
    const code = this.#code?.firstElementChild;
    if (!code || this.#code?.hidden || this.#codeFilled) return;
    // Highlighted at build time (or by the same highlighter for an edit): markup of our own.
    code.innerHTML = this.#highlighted;
    this.#codeFilled = true;
  }

  #addCodeToggle(): void {
    this.addAction("code", {
      label: "</>",
      title: "Show or hide this cell's code",
      run: () => this.showCode(!this.codeShown),
    });
    this.#actions.get("code")?.setAttribute("aria-expanded", String(this.codeShown));
  }

  #input(): ValueElement | undefined {
    const candidate = this.#output.firstElementChild?.firstElementChild;
    return candidate && "value" in candidate ? (candidate as ValueElement) : undefined;
  }

  #reportWidth(): void {
    const width = this.#output.clientWidth;
    if (width > 0) this.#host.resized(this.key, width);
  }
}

/** What a frozen canvas's image keeps of the canvas's laid-out style. */
const FROZEN_LAYOUT = ["position", "left", "top", "z-index", "display", "width", "height"];

function noticePart(part: NoticePart): Node {
  if (typeof part === "string") return document.createTextNode(part);
  if (part instanceof Node) return part;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = part.label;
  button.title = part.title;
  button.addEventListener("click", part.run);
  return button;
}
