/** `flowdeck/tensorflow`: the dataflow graph and its session, formulas, descent, model graphs. */
export * from "../ml/graph/descent.ts";
export * from "../ml/graph/formula.ts";
export * from "../ml/graph/graph.ts";
export * from "../ml/graph/layers-graph.ts";
export {
  OPS,
  type DType,
  type OpName,
  type StaticShape,
  type TensorType,
} from "../ml/graph/ops.ts";
export * from "../ml/graph/session.ts";
