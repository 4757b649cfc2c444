/** `flowdeck/tensors`: tensor layout maths, inverse and determinant, and the tensor explorer. */
export * from "../ml/tensors/layout.ts";
export * from "../ml/tensors/linalg.ts";
