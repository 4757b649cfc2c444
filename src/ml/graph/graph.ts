/**
 * A TensorFlow 1.x-style dataflow graph: constants, placeholders, variables and operations are
 * nodes; the tensors that flow between them are edges with a shape and a dtype. Building the
 * graph computes nothing; a Session (session.ts) runs it. The builder hands out symbolic
 * tensors with TensorFlow-like methods, so a small computation reads as ordinary code:
 *
 *   const x = g.placeholder("x", [2, null]);
 *   const y = g.variable("W", [[0.5, -0.5]]).matMul(x).add(g.variable("b", [[0]])).sigmoid();
 */
import { ShapeError, shapeOfNested } from "../tensors/layout.ts";
import { opDef, type DType, type OpName, type StaticShape, type TensorType } from "./ops.ts";

export type NodeKind = "constant" | "placeholder" | "variable" | "operation";
/** Nested arrays of numbers, as tf.tensor takes them. */
export type Values = number | readonly Values[];

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** the operation's name, or Const / Placeholder / Variable */
  op: string;
  inputs: string[];
  output: TensorType;
  /** the initial value of a constant or variable */
  value?: Values;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** which input of `to` this is */
  slot: number;
  shape: StaticShape;
  dtype: DType;
}

const shapeOfValues = (v: Values) => shapeOfNested(v);

export function formatShape(shape: StaticShape): string {
  return `[${shape.map((n) => (n === null ? "?" : n)).join(", ")}]`;
}

/** A symbolic tensor: the output of one node, with methods that add operations. */
export class SymbolicTensor {
  constructor(
    readonly graph: Graph,
    readonly id: string,
  ) {}
  get shape(): StaticShape {
    return this.graph.node(this.id).output.shape;
  }
  get dtype(): DType {
    return this.graph.node(this.id).output.dtype;
  }
  add(b: SymbolicTensor | number) {
    return this.graph.op("Add", [this, b]);
  }
  sub(b: SymbolicTensor | number) {
    return this.graph.op("Sub", [this, b]);
  }
  mul(b: SymbolicTensor | number) {
    return this.graph.op("Mul", [this, b]);
  }
  div(b: SymbolicTensor | number) {
    return this.graph.op("Div", [this, b]);
  }
  greater(b: SymbolicTensor | number) {
    return this.graph.op("Greater", [this, b]);
  }
  matMul(b: SymbolicTensor) {
    return this.graph.op("MatMul", [this, b]);
  }
  sigmoid() {
    return this.graph.op("Sigmoid", [this]);
  }
  relu() {
    return this.graph.op("Relu", [this]);
  }
  tanh() {
    return this.graph.op("Tanh", [this]);
  }
  exp() {
    return this.graph.op("Exp", [this]);
  }
  square() {
    return this.graph.op("Square", [this]);
  }
  softmax() {
    return this.graph.op("Softmax", [this]);
  }
  mean() {
    return this.graph.op("Mean", [this]);
  }
  sum() {
    return this.graph.op("Sum", [this]);
  }
}

export class Graph {
  private readonly nodes = new Map<string, GraphNode>();
  private counts = new Map<string, number>();

  /** A fresh name like TensorFlow's: the op's name, then _1, _2… */
  private name(base: string, wanted?: string): string {
    if (wanted !== undefined) {
      if (!/^[A-Za-z][\w-]*$/.test(wanted)) throw new ShapeError(`"${wanted}" is not a node name`);
      if (this.nodes.has(wanted)) throw new ShapeError(`the graph already has a node ${wanted}`);
      return wanted;
    }
    for (;;) {
      const k = this.counts.get(base) ?? 0;
      this.counts.set(base, k + 1);
      const id = k === 0 ? base : `${base}_${k}`;
      if (!this.nodes.has(id)) return id;
    }
  }

  private addNode(node: GraphNode): SymbolicTensor {
    this.nodes.set(node.id, node);
    return new SymbolicTensor(this, node.id);
  }

  constant(value: Values, name?: string): SymbolicTensor {
    const shape = shapeOfValues(value);
    return this.addNode({
      id: this.name("Const", name),
      kind: "constant",
      op: "Const",
      inputs: [],
      output: { shape, dtype: "float32" },
      value,
    });
  }

  placeholder(name: string, shape: StaticShape, dtype: DType = "float32"): SymbolicTensor {
    return this.addNode({
      id: this.name("Placeholder", name),
      kind: "placeholder",
      op: "Placeholder",
      inputs: [],
      output: { shape, dtype },
    });
  }

  variable(name: string, initial: Values): SymbolicTensor {
    return this.addNode({
      id: this.name("Variable", name),
      kind: "variable",
      op: "Variable",
      inputs: [],
      output: { shape: shapeOfValues(initial), dtype: "float32" },
      value: initial,
    });
  }

  op(op: OpName, inputs: ReadonlyArray<SymbolicTensor | number>, name?: string): SymbolicTensor {
    const def = opDef(op);
    if (inputs.length !== def.arity) {
      throw new ShapeError(`${op} takes ${def.arity} input(s), got ${inputs.length}`);
    }
    const symbols = inputs.map((i) => (typeof i === "number" ? this.constant(i) : i));
    for (const s of symbols) {
      if (s.graph !== this) throw new ShapeError(`${s.id} belongs to another graph`);
    }
    const id = this.name(op, name);
    let output: TensorType;
    try {
      output = def.infer(symbols.map((s) => this.node(s.id).output));
    } catch (e) {
      throw new ShapeError(`${id} (${op}): ${(e as Error).message}`);
    }
    return this.addNode({ id, kind: "operation", op, inputs: symbols.map((s) => s.id), output });
  }

  node(id: string): GraphNode {
    const node = this.nodes.get(id);
    if (!node) throw new ShapeError(`the graph has no node ${id}`);
    return node;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Every node, in the order they were added (which is a topological order). */
  get all(): GraphNode[] {
    return [...this.nodes.values()];
  }

  get edges(): GraphEdge[] {
    return this.all.flatMap((n) =>
      n.inputs.map((from, slot) => {
        const { shape, dtype } = this.node(from).output;
        return { from, to: n.id, slot, shape, dtype };
      }),
    );
  }

  /** The nodes needed to compute `fetches`, in an order where inputs come first. */
  plan(fetches: readonly string[]): GraphNode[] {
    const order: GraphNode[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (id: string) => {
      const seen = state.get(id);
      if (seen === "done") return;
      if (seen === "visiting") throw new ShapeError(`the graph has a cycle through ${id}`);
      state.set(id, "visiting");
      const node = this.node(id);
      node.inputs.forEach(visit);
      state.set(id, "done");
      order.push(node);
    };
    fetches.forEach(visit);
    return order;
  }

  /** Depth of each node (longest path from an input), for drawing in columns. */
  depths(): Map<string, number> {
    const depth = new Map<string, number>();
    for (const n of this.all) {
      depth.set(n.id, n.inputs.length ? 1 + Math.max(...n.inputs.map((i) => depth.get(i)!)) : 0);
    }
    return depth;
  }
}
