/** What an exercise shows under its cell: its status, hints one at a time, the solution on request. */

export interface PanelEvents {
  hintShown(count: number): void;
  solutionShown(): void;
  useSolution(source: string): void;
}

export class ExercisePanel {
  readonly element: HTMLElement;
  readonly #status: HTMLElement;
  readonly #hints: HTMLElement;
  readonly #hintButton: HTMLButtonElement;
  readonly #solution: HTMLElement;
  readonly #allHints: string[];
  #revealButton: HTMLButtonElement | undefined;
  #shown = 0;

  /** `hints` are HTML rendered from the author's Markdown at build time. */
  constructor(hints: string[], solution: string | undefined, events: PanelEvents) {
    this.#allHints = hints;
    this.element = document.createElement("div");
    this.element.className = "fd-exercise";
    const header = document.createElement("div");
    header.className = "fd-exercise-header";
    this.#status = document.createElement("span");
    this.#status.className = "fd-exercise-status";
    header.append("Exercise ", this.#status);
    this.#hints = document.createElement("ol");
    this.#hints.className = "fd-hints";
    this.#hintButton = button("Show a hint", "Reveal the next hint", () => {
      this.#reveal(this.#shown + 1);
      events.hintShown(this.#shown);
    });
    this.#solution = document.createElement("div");
    this.#solution.className = "fd-solution";
    this.#solution.hidden = true;
    const actions = document.createElement("div");
    actions.className = "fd-exercise-actions";
    if (hints.length) actions.append(this.#hintButton);
    if (solution !== undefined) {
      const code = document.createElement("pre");
      code.textContent = solution;
      this.#solution.append(
        code,
        button("Use this solution", "Put the solution in the editor and run it", () =>
          events.useSolution(solution),
        ),
      );
      const reveal = (this.#revealButton = button(
        "Show the solution",
        "Reveal the author's solution (this is recorded)",
        () => {
          if (reveal.dataset.confirm === undefined) {
            reveal.dataset.confirm = "";
            reveal.textContent = "Really show it? (recorded)";
            return;
          }
          reveal.remove();
          this.#solution.hidden = false;
          events.solutionShown();
        },
      ));
      actions.append(reveal);
    }
    this.element.append(header, this.#hints, actions, this.#solution);
  }

  restore(hintsShown: number, solutionShown: boolean): void {
    this.#reveal(Math.min(hintsShown, this.#allHints.length));
    if (solutionShown) {
      this.#solution.hidden = false;
      this.#revealButton?.remove();
    }
  }

  show(state: string, passing: number, total: number): void {
    this.element.dataset.state = state;
    this.#status.textContent = total ? `${state} · ${passing} of ${total} checks pass` : state;
  }

  #reveal(count: number): void {
    while (this.#shown < count && this.#shown < this.#allHints.length) {
      const item = document.createElement("li");
      item.innerHTML = this.#allHints[this.#shown]!;
      this.#hints.append(item);
      this.#shown++;
    }
    const left = this.#allHints.length - this.#shown;
    this.#hintButton.hidden = left === 0;
    this.#hintButton.textContent = `Show a hint (${this.#shown + 1} of ${this.#allHints.length})`;
  }
}

export function button(label: string, title: string, run: () => void): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  element.title = title;
  element.addEventListener("click", run);
  return element;
}
