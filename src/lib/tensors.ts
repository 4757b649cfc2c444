/** `flowdeck/tensors`: tensor layout maths, inverse and determinant, and the tensor explorer. */
export * from "../ml/tensors/layout.ts";
export * from "../ml/tensors/linalg.ts";
export * from "../ui/tensors/examples.ts";
export * from "../ui/tensors/explorer.ts";
export * from "../ui/tensors/geometry.ts";
export * from "../ui/tensors/tensor-view.ts";
