/**
 * "Running the session": the graph of graph-view.ts with buttons to compute it one node at a
 * time or all at once (each node lights up with its value), and to take optimizer steps that
 * change the variables. The session and its variables belong to the caller.
 */
import type * as TF from "@tensorflow/tfjs";
import type { Feeds, Run, Session } from "../../ml/graph/session.ts";
import { createGraphView } from "./graph-view.ts";

export interface SessionPanel {
  element: HTMLElement;
  step(): Promise<void>;
  runAll(): Promise<void>;
  train(steps: number): Promise<void>;
  dispose(): void;
}

/** A short reading of a tensor: its value if it is small, else its shape and mean. */
export function summarize(t: TF.Tensor, values: ArrayLike<number>): string {
  if (t.size === 1) return `= ${Number(values[0]).toFixed(3)}`;
  if (t.size <= 4) return `[${Array.from(values, (v) => Number(v).toFixed(2)).join(" ")}]`;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Number(values[i]);
  return `mean ${(sum / values.length).toFixed(3)}`;
}

function button(text: string, role: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = text;
  b.dataset.role = role;
  b.style.font = "16px sans-serif";
  return b;
}

export function createSessionPanel(options: {
  session: Session;
  feeds: Feeds;
  fetch: string;
  width: number;
  optimizer?: TF.Optimizer;
}): SessionPanel {
  const { session, feeds, fetch } = options;
  const view = createGraphView(session.graph, options.width);
  const root = document.createElement("div");
  root.dataset.role = "session-panel";
  Object.assign(root.style, { display: "grid", gap: "6px", font: "16px sans-serif" });
  const bar = document.createElement("div");
  Object.assign(bar.style, { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "center" });
  const status = document.createElement("div");
  status.dataset.role = "session-status";
  status.style.fontFamily = "var(--fd-mono, monospace)";
  const stepButton = button("step", "session-step");
  const allButton = button("run all", "session-run");
  const trainButton = button("train 10 steps", "session-train");
  bar.append(stepButton, allButton, ...(options.optimizer ? [trainButton] : []));
  root.append(bar, view.element, status);

  let run: Run | undefined;
  let busy = false;
  let trained = 0;

  const variables = () =>
    session.graph.all
      .filter((n) => n.kind === "variable")
      .map(
        (n) =>
          `${n.id} = ${JSON.stringify(session.variable(n.id).arraySync(), (_, v) => (typeof v === "number" ? Number(v.toFixed(3)) : v))}`,
      )
      .join("   ");

  const finishRun = () => {
    run?.dispose();
    run = undefined;
  };

  const step = async () => {
    if (!run || run.done) {
      finishRun();
      view.reset();
      run = session.start([fetch], feeds);
    }
    const { node, value, index } = run.step();
    const data = await value.data();
    view.current(node.id);
    view.light(node.id, summarize(value, data));
    status.textContent = `step ${index + 1} of ${run.plan.length}: ${node.id} (${node.op}) → [${value.shape.join(", ")}]${run.done ? "   done · " + variables() : ""}`;
    root.dataset.computed = String(index + 1);
    if (run.done) view.current(undefined);
  };

  const runAll = async () => {
    finishRun();
    view.reset();
    run = session.start([fetch], feeds);
    while (!run.done) await step();
  };

  const train = async (steps: number) => {
    const optimizer = options.optimizer;
    if (!optimizer) return;
    let loss = 0;
    for (let i = 0; i < steps; i++) loss = session.minimize(optimizer, fetch, feeds);
    trained += steps;
    root.dataset.trained = String(trained);
    await runAll();
    status.textContent = `${trained} optimizer steps; loss before the last was ${loss.toFixed(4)}   ${variables()}`;
  };

  const guard = (f: () => Promise<void>) => async () => {
    if (busy) return;
    busy = true;
    try {
      await f();
    } catch (e) {
      status.textContent = (e as Error).message;
    } finally {
      busy = false;
    }
  };
  stepButton.onclick = guard(step);
  allButton.onclick = guard(runAll);
  trainButton.onclick = guard(() => train(10));
  status.textContent = `${session.graph.all.length} nodes, ${session.graph.edges.length} edges: press step to run the session one node at a time   ${variables()}`;

  return { element: root, step, runAll, train, dispose: finishRun };
}
