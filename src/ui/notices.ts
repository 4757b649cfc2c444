/** Page-level messages (a storage problem, a shared link waiting for consent), dismissable. */
export class Notices {
  readonly #root: HTMLElement;

  constructor(parent: HTMLElement = document.body) {
    this.#root = document.createElement("div");
    this.#root.className = "fd-notices";
    this.#root.setAttribute("role", "status");
    this.#root.setAttribute("aria-live", "polite");
    parent.append(this.#root);
  }

  /** Shows a message with optional actions; returns a function that removes it. */
  show(message: string, actions: Array<{ label: string; run: () => void }> = []): () => void {
    const notice = document.createElement("div");
    notice.className = "fd-notice";
    const text = document.createElement("span");
    text.textContent = message;
    notice.append(text);
    const close = () => notice.remove();
    for (const action of [...actions, { label: "Dismiss", run: () => {} }]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = action.label;
      button.addEventListener("click", () => {
        action.run();
        close();
      });
      notice.append(button);
    }
    this.#root.append(notice);
    return close;
  }
}
