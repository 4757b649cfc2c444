/**
 * TensorFlow 1.x's Session for the graphs of graph.ts, computed by real TensorFlow.js ops: it
 * owns the variables' values, and `start(fetches, feeds)` executes the nodes the fetches need,
 * one at a time in topological order, so a picture can light each node up as it computes.
 */
import type * as TF from "@tensorflow/tfjs";
import { ShapeError } from "../tensors/layout.ts";
import { formatShape, type Graph, type GraphNode } from "./graph.ts";
import { opDef, type Tf } from "./ops.ts";

export type Feeds = Record<string, TF.Tensor>;

export interface NodeResult {
  node: GraphNode;
  value: TF.Tensor;
  /** position in the plan, from 0 */
  index: number;
}

function checkFeed(node: GraphNode, value: TF.Tensor): void {
  const want = node.output.shape;
  const ok = value.rank === want.length && want.every((n, i) => n === null || n === value.shape[i]);
  if (!ok) {
    throw new ShapeError(
      `placeholder ${node.id} takes ${formatShape(want)}, was fed [${value.shape.join(", ")}]`,
    );
  }
}

/** One execution of the graph, step by step. Its values are disposed with it. */
export class Run {
  private readonly values = new Map<string, TF.Tensor>();
  private next = 0;
  readonly plan: GraphNode[];

  constructor(
    private readonly session: Session,
    readonly fetches: readonly string[],
    private readonly feeds: Feeds,
  ) {
    this.plan = session.graph.plan(fetches);
    for (const node of this.plan) {
      if (node.kind === "placeholder" && !(node.id in feeds)) {
        throw new ShapeError(
          `placeholder ${node.id} must be fed a value to compute ${fetches.join(", ")}`,
        );
      }
    }
  }

  get done(): boolean {
    return this.next >= this.plan.length;
  }

  get position(): number {
    return this.next;
  }

  /** Computes the next node of the plan; its value stays readable until the run is disposed. */
  step(): NodeResult {
    const node = this.plan[this.next];
    if (!node) throw new Error("the run is complete");
    const index = this.next++;
    const value = this.session.evaluate(node, this.values, this.feeds);
    this.values.set(node.id, value);
    return { node, value, index };
  }

  value(id: string): TF.Tensor | undefined {
    return this.values.get(id);
  }

  /** Runs what is left and returns copies of the fetched values (the caller owns them). */
  finish(onNode?: (result: NodeResult) => void): TF.Tensor[] {
    while (!this.done) {
      const result = this.step();
      onNode?.(result);
    }
    return this.fetches.map((id) => this.values.get(id)!.clone());
  }

  dispose(): void {
    // Variables belong to the session; everything else this run computed goes.
    for (const [id, t] of this.values) {
      if (this.session.graph.node(id).kind !== "variable") t.dispose();
    }
    this.values.clear();
  }
}

export class Session {
  private readonly variables = new Map<string, TF.Variable>();

  constructor(
    readonly tf: Tf,
    readonly graph: Graph,
  ) {
    for (const node of graph.all) {
      if (node.kind === "variable") {
        const initial = node.value!;
        this.variables.set(
          node.id,
          tf.tidy(() => tf.variable(tf.tensor(initial as number[]), true, undefined)),
        );
      }
    }
  }

  variable(id: string): TF.Variable {
    const v = this.variables.get(id);
    if (!v) throw new ShapeError(`${id} is not a variable of this graph`);
    return v;
  }

  get variableList(): TF.Variable[] {
    return [...this.variables.values()];
  }

  /** Computes one node from values already computed. Used by Run and by minimize. */
  evaluate(node: GraphNode, values: Map<string, TF.Tensor>, feeds: Feeds): TF.Tensor {
    const tf = this.tf;
    switch (node.kind) {
      case "constant":
        return tf.tensor(node.value as number[]);
      case "placeholder": {
        const fed = feeds[node.id]!;
        checkFeed(node, fed);
        return fed.clone();
      }
      case "variable":
        return this.variable(node.id);
      case "operation": {
        const inputs = node.inputs.map((id) => values.get(id)!);
        return tf.tidy(() => opDef(node.op).compute(tf, inputs));
      }
    }
  }

  start(fetches: readonly string[], feeds: Feeds = {}): Run {
    return new Run(this, fetches, feeds);
  }

  /** session.run(fetches, feeds): all at once, with a callback after each node. */
  run(
    fetches: readonly string[],
    feeds: Feeds = {},
    onNode?: (result: NodeResult) => void,
  ): TF.Tensor[] {
    const run = this.start(fetches, feeds);
    try {
      return run.finish(onNode);
    } finally {
      run.dispose();
    }
  }

  /** One optimizer step on a scalar node of the graph; returns the loss before the step. */
  minimize(optimizer: TF.Optimizer, loss: string, feeds: Feeds = {}): number {
    const value = optimizer.minimize(
      () => {
        const values = new Map<string, TF.Tensor>();
        for (const node of this.graph.plan([loss]))
          values.set(node.id, this.evaluate(node, values, feeds));
        // Only the loss leaves: minimize's own tidy frees the rest.
        return values.get(loss)! as TF.Scalar;
      },
      true,
      this.variableList,
    );
    const number = value!.dataSync()[0]!;
    value!.dispose();
    return number;
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}
