/**
 * The DOM of one mounted cell: an element carrying `data-cell` and `data-state`, the cell's
 * highlighted code when asked for, its output, and an alert that replaces the output on error.
 */
import type { CellState } from "./cell-state.ts";

export interface CellViewOptions {
  key: string;
  inline: boolean;
  /** highlighted HTML of the source, shown when `showCode` */
  highlighted: string;
  showCode: boolean;
  /** offer a button that shows and hides the code */
  codeToggle: boolean;
}

export class CellView {
  readonly element: HTMLElement;
  readonly output: HTMLElement;
  /** buttons for the cell (code, edit, …); empty unless something adds to it */
  readonly bar: HTMLElement;
  /** messages about the cell other than its own error (e.g. an outdated edit) */
  readonly notice: HTMLElement;
  /** where an editor goes, in place of the highlighted code */
  readonly editorHost: HTMLElement;
  readonly #alert: HTMLElement;
  readonly #code: HTMLElement | undefined;

  constructor(options: CellViewOptions) {
    const tag = options.inline ? "span" : "div";
    this.element = document.createElement(tag);
    this.element.className = options.inline ? "fd-cell fd-cell-inline" : "fd-cell";
    this.element.dataset.cell = options.key;
    this.element.dataset.state = "pending";
    this.bar = document.createElement("div");
    this.bar.className = "fd-cell-bar";
    this.notice = document.createElement("div");
    this.notice.className = "fd-notice";
    this.notice.setAttribute("role", "status");
    this.notice.hidden = true;
    this.editorHost = document.createElement("div");
    this.editorHost.className = "fd-editor";
    this.editorHost.hidden = true;
    if (!options.inline) {
      this.#code = document.createElement("pre");
      this.#code.className = "fd-code";
      this.#code.innerHTML = `<code class="language-js">${options.highlighted}</code>`;
      this.#code.hidden = !options.showCode;
      if (options.codeToggle) this.bar.append(this.#toggleButton());
      this.element.append(this.bar, this.notice, this.#code, this.editorHost);
    }
    this.output = document.createElement(tag);
    this.output.className = "fd-output";
    this.#alert = document.createElement(tag);
    this.#alert.className = "fd-error";
    this.#alert.setAttribute("role", "alert");
    this.#alert.hidden = true;
    this.element.append(this.output, this.#alert);
  }

  get codeShown(): boolean {
    return !!this.#code && !this.#code.hidden;
  }

  showCode(show: boolean): void {
    if (!this.#code) return;
    this.#code.hidden = !show || !this.editorHost.hidden;
    this.element.querySelector(".fd-code-toggle")?.setAttribute("aria-expanded", String(show));
  }

  /** Shows the editor host instead of the highlighted code, or back. */
  showEditor(show: boolean): void {
    const codeWasShown = this.codeShown;
    this.editorHost.hidden = !show;
    if (this.#code) this.#code.hidden = show || !codeWasShown;
    this.element.classList.toggle("fd-editing", show);
  }

  #toggleButton(): HTMLButtonElement {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fd-code-toggle";
    button.textContent = "</>";
    button.title = "Show or hide this cell's code";
    button.setAttribute("aria-expanded", String(this.codeShown));
    button.addEventListener("click", () => this.showCode(!this.codeShown));
    return button;
  }

  setHighlighted(html: string): void {
    if (this.#code) this.#code.innerHTML = `<code class="language-js">${html}</code>`;
  }

  /** Puts the cell's display root (where Notebook Kit renders values) into the output. */
  adopt(root: HTMLElement): void {
    this.output.replaceChildren(root);
  }

  setState(state: CellState, message?: string): void {
    this.element.dataset.state = state;
    const failed = state === "error";
    this.#alert.hidden = !failed;
    this.output.hidden = failed;
    this.#alert.textContent = failed ? (message ?? "Error") : "";
  }
}
