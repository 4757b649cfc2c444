/** `flowdeck/playground`: the neural-network playground, its data sets and its networks. */
export { Playground } from "../ui/playground/playground.ts";
export { codeBlock } from "../ui/playground/code-block.ts";
export * from "../ml/playground/config.ts";
export * from "../ml/playground/datasets.ts";
export * from "../ml/playground/features.ts";
export * from "../ml/playground/reference-network.ts";
export * from "../ml/playground/tf-network.ts";
export * from "../ml/playground/random.ts";
