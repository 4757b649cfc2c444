/** `flowdeck/breakthroughs`: Inception, the scale chart, the hardware benchmark and 8-bit weights. */
export * from "../ml/breakthroughs/graph.ts";
export * from "../ml/breakthroughs/inception.ts";
export * from "../ui/breakthroughs/graph-view.ts";
