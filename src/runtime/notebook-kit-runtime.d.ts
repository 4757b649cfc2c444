// Notebook Kit's runtime layer, imported file by file (through the aliases in vite.config.ts)
// so that its CDN-loading standard library never enters the bundle.
declare module "notebook-kit/define" {
  import type { Module, Variable, VariableDefinition, Observer } from "@observablehq/runtime";
  export interface DisplayState {
    root: HTMLElement;
    autoclear?: boolean;
    expanded: (number[][] | undefined)[];
  }
  export type DefineState = DisplayState & { variables: Variable[] };
  export interface Definition {
    id: number;
    body: VariableDefinition;
    inputs?: string[];
    outputs?: string[];
    output?: string;
    autodisplay?: boolean;
    autoview?: boolean;
    automutable?: boolean;
    display?: boolean;
  }
  export type ObserverFactory = (
    state: DisplayState,
    definition: Definition,
  ) => Observer | undefined;
  export function define(
    main: Module,
    state: DefineState,
    definition: Definition,
    observer?: ObserverFactory,
  ): void;
}

declare module "notebook-kit/display" {
  import type { DisplayState, Definition } from "notebook-kit/define";
  export function display(state: DisplayState, value: unknown, name?: string): void;
  export function clear(state: DisplayState): void;
  export function observe(
    state: DisplayState,
    definition: Definition,
  ): {
    _node: HTMLElement;
    pending(): void;
    fulfilled(value: unknown): void;
    rejected(error: unknown): void;
  };
}

declare module "notebook-kit/generators" {
  export function input(element: Element): AsyncGenerator<unknown>;
  export function observe<T>(
    initialize: (notify: (value: T) => T) => (() => void) | void,
  ): AsyncGenerator<T>;
  export function width(target: Element): AsyncGenerator<number>;
  export function now(): Generator<number>;
  export function queue<T>(
    initialize: (notify: (value: T) => T) => (() => void) | void,
  ): AsyncGenerator<T>;
}

declare module "notebook-kit/mutable" {
  export function Mutable<T>(value: T): AsyncGenerator<T> & { value: T };
}

declare module "notebook-kit/md" {
  export const md: (strings: TemplateStringsArray, ...values: unknown[]) => HTMLElement;
}
