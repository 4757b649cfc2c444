/** `flowdeck/breakthroughs`: Inception, the scale chart, the hardware benchmark and 8-bit weights. */
export * from "../ml/breakthroughs/graph.ts";
export * from "../ml/breakthroughs/inception.ts";
export * from "../ui/breakthroughs/graph-view.ts";
export * from "../ml/breakthroughs/inception-net.ts";
export * from "../ui/breakthroughs/branch-maps.ts";
export * from "../ml/breakthroughs/client.ts";
export * from "../ml/breakthroughs/matmul.ts";
export * from "../ml/breakthroughs/protocol.ts";
export * from "../ml/breakthroughs/scale.ts";
export * from "../ml/breakthroughs/int8.ts";
export * from "../ml/breakthroughs/int8-remote.ts";
export * from "../ml/breakthroughs/quantized-model.ts";
