/** `flowdeck/tensorflow`: the dataflow graph and its session, formulas, descent, model graphs, ops. */
export * from "../ml/graph/descent.ts";
export * from "../ml/graph/formula.ts";
export * from "../ml/graph/graph.ts";
export * from "../ml/graph/layers-graph.ts";
export { remembered } from "../ml/graph/remembered.ts";
export {
  OPS,
  type DType,
  type OpName,
  type StaticShape,
  type TensorType,
} from "../ml/graph/ops.ts";
export * from "../ml/graph/session.ts";
export * from "../ml/tensors/catalog.ts";
export * from "../ui/graph/graph-view.ts";
export * from "../ui/graph/model-view.ts";
export * from "../ui/graph/session-panel.ts";
export * from "../ui/ops/conv-view.ts";
export * from "../ui/ops/ops-panel.ts";
