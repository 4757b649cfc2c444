/** `flowdeck/digits`: the views of the digits topic (drawing pad, bars, layers, training). */
export * from "../ui/digits/bars.ts";
export * from "../ui/digits/layers-view.ts";
export * from "../ui/digits/pad.ts";
export * from "../ui/digits/training-view.ts";
