/**
 * The join page's view: one button to join, then what the device is doing (connection, shard,
 * steps, backend) in large type for a phone. It only sets text; nothing it shows is HTML.
 */
export type JoinPhase =
  "ready" | "starting" | "connecting" | "joined" | "reconnecting" | "closed" | "invalid";

export interface JoinFacts {
  connection: string;
  device: string;
  backend: string;
  shard: string;
  weights: string;
  steps: string;
  lastStep: string;
}

/** Before the device knows anything of its work. */
export const NO_FACTS: Readonly<JoinFacts> = {
  connection: "",
  device: "",
  backend: "",
  shard: "",
  weights: "",
  steps: "0",
  lastStep: "",
};

export interface JoinViewState {
  phase: JoinPhase;
  message: string;
  /** the button's label; hidden when empty */
  action: string;
  facts: JoinFacts;
  memberId: number | null;
  steps: number;
}

export interface JoinView {
  update(state: JoinViewState): void;
  destroy(): void;
}

const FACTS: [keyof JoinFacts, string][] = [
  ["connection", "Connection"],
  ["device", "This device"],
  ["backend", "Computes with"],
  ["shard", "Its shard"],
  ["weights", "On the wire"],
  ["steps", "Steps done"],
  ["lastStep", "Last step"],
];

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = "",
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

export function mountJoinView(
  root: HTMLElement,
  handlers: { onAction(): void; onLeave(): void },
): JoinView {
  const main = element("main", "fd-join");
  const title = element("h1", "fd-join-title", "Join the training");
  const what = element(
    "p",
    "fd-join-what",
    "Lend this device to the presenter's model: it computes gradients on its slice of the data and sends them back. Nothing is installed; closing this tab stops it.",
  );
  const action = element("button", "fd-join-action");
  action.type = "button";
  action.addEventListener("click", () => handlers.onAction());
  const message = element("p", "fd-join-message");
  message.setAttribute("role", "status");
  message.setAttribute("aria-live", "polite");
  const facts = element("dl", "fd-join-facts");
  const values = new Map<keyof JoinFacts, HTMLElement>();
  for (const [key, label] of FACTS) {
    const value = element("dd", "fd-join-fact");
    value.dataset.fact = key;
    values.set(key, value);
    facts.append(element("dt", "fd-join-label", label), value);
  }
  const leave = element("button", "fd-join-leave", "Leave");
  leave.type = "button";
  leave.addEventListener("click", () => handlers.onLeave());
  main.append(title, what, action, message, facts, leave);
  root.replaceChildren(main);

  // Each step updates the view; only what changed is written, so that a training phone repaints
  // a line or two of text, not the whole page (style and paint are the main thread's and the
  // compositor's work, taken from the training worker's core).
  const setText = (node: HTMLElement, text: string) => {
    if (node.textContent !== text) node.textContent = text;
  };
  const setData = (key: string, value: string) => {
    if (main.dataset[key] !== value) main.dataset[key] = value;
  };
  return {
    update(state) {
      setData("phase", state.phase);
      setData("memberId", state.memberId === null ? "" : String(state.memberId));
      setData("steps", String(state.steps));
      setText(message, state.message);
      setText(action, state.action);
      action.hidden = !state.action;
      action.disabled = state.phase === "starting";
      const active = ["connecting", "joined", "reconnecting"].includes(state.phase);
      facts.hidden = state.phase === "ready" || state.phase === "invalid";
      leave.hidden = !active;
      what.hidden = active;
      for (const [key, value] of values) setText(value, state.facts[key]);
    },
    destroy() {
      main.remove();
    },
  };
}
