// The Observable runtime ships no types; these cover what Flowdeck uses. Private fields are
// touched only in src/runtime/kit.ts.
declare module "@observablehq/runtime" {
  export type VariableDefinition = (...inputs: never[]) => unknown;

  export interface Observer {
    pending?(): void;
    fulfilled?(value: unknown, name?: string | null): void;
    rejected?(error: unknown, name?: string | null): void;
  }

  export class Variable {
    define(name: string | null, inputs: string[], definition: VariableDefinition): this;
    define(inputs: string[], definition: VariableDefinition): this;
    delete(): this;
    dispose(): void;
  }

  export class Module {
    variable(observer?: Observer | true, options?: unknown): Variable;
    define(name: string | null, inputs: string[], definition: VariableDefinition): Variable;
    redefine(name: string, inputs: string[], definition: VariableDefinition): Variable;
    value(name: string): Promise<unknown>;
  }

  export class Runtime {
    constructor(builtins?: Record<string, () => unknown>, global?: (name: string) => unknown);
    module(): Module;
    dispose(): void;
  }

  export class RuntimeError extends Error {
    input?: string;
  }
}
