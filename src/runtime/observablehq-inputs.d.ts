// Observable Inputs ships no types. Cells receive it as a built-in and call it from plain
// JavaScript, so the engine only needs to know it is a module.
declare module "@observablehq/inputs" {
  const inputs: Record<string, unknown>;
  export = inputs;
}
