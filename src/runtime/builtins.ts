/**
 * The built-ins of the runtime itself, which need no page: Observable's generators and mutables.
 * A page adds the rest (`tf`, `d3`, `Plot`, `width`, `check`, …): see src/pages/builtins.ts.
 */
import type { Builtins } from "./host.ts";
import { Generators, Mutable } from "./kit.ts";

export function standardBuiltins(): Builtins {
  return {
    Generators: () => Generators,
    Mutable: () => Mutable,
    now: () => Generators.now(),
  };
}
