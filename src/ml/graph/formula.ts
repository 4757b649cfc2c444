/**
 * A reader's formula, such as `x^3 - 2*x` or `sin(x) * exp(-y^2)`, parsed by a small parser of
 * our own (never eval) into a tree, then compiled into TensorFlow.js operations so that tf.grad
 * can differentiate it. Errors say where the formula went wrong.
 */
import type * as TF from "@tensorflow/tfjs";

export type Tf = typeof TF;

export class FormulaError extends Error {
  override name = "FormulaError";
  constructor(
    message: string,
    /** the column (from 1) where the problem is */
    readonly column: number,
  ) {
    super(`${message} (at column ${column})`);
  }
}

export type Formula =
  | { kind: "number"; value: number }
  | { kind: "variable"; name: string }
  | { kind: "unary"; op: "-"; arg: Formula }
  | { kind: "binary"; op: "+" | "-" | "*" | "/" | "^"; left: Formula; right: Formula }
  | { kind: "call"; name: FunctionName; arg: Formula };

const FUNCTIONS = {
  sin: (tf: Tf, x: TF.Tensor) => tf.sin(x),
  cos: (tf: Tf, x: TF.Tensor) => tf.cos(x),
  tan: (tf: Tf, x: TF.Tensor) => tf.tan(x),
  exp: (tf: Tf, x: TF.Tensor) => tf.exp(x),
  log: (tf: Tf, x: TF.Tensor) => tf.log(x),
  sqrt: (tf: Tf, x: TF.Tensor) => tf.sqrt(x),
  abs: (tf: Tf, x: TF.Tensor) => tf.abs(x),
  tanh: (tf: Tf, x: TF.Tensor) => tf.tanh(x),
  sigmoid: (tf: Tf, x: TF.Tensor) => tf.sigmoid(x),
  relu: (tf: Tf, x: TF.Tensor) => tf.relu(x),
  square: (tf: Tf, x: TF.Tensor) => tf.square(x),
} as const;
export type FunctionName = keyof typeof FUNCTIONS;
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

interface Token {
  text: string;
  column: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|([A-Za-z_]\w*)|(\*\*|[-+*/^(),])|(\S))/gy;
  let m: RegExpExecArray | null;
  while (pattern.lastIndex < source.length && (m = pattern.exec(source))) {
    const text = m[1] ?? m[2] ?? m[3];
    const column = m.index + m[0].length - (text ?? m[4]!).length + 1;
    if (m[4] !== undefined) throw new FormulaError(`unexpected character "${m[4]}"`, column);
    if (text !== undefined) tokens.push({ text: text === "**" ? "^" : text, column });
  }
  return tokens;
}

/** Parses a formula in the given variables (x, or x and y). */
export function parseFormula(source: string, variables: readonly string[] = ["x"]): Formula {
  const tokens = tokenize(source);
  let at = 0;
  const end = source.length + 1;
  const peek = () => tokens[at];
  const column = () => peek()?.column ?? end;
  const expect = (text: string) => {
    if (peek()?.text !== text) {
      throw new FormulaError(
        peek() ? `expected "${text}", found "${peek()!.text}"` : `expected "${text}" at the end`,
        column(),
      );
    }
    at++;
  };

  // sum := product (("+" | "-") product)*
  const sum = (): Formula => {
    let left = product();
    while (peek()?.text === "+" || peek()?.text === "-") {
      const op = tokens[at++]!.text as "+" | "-";
      left = { kind: "binary", op, left, right: product() };
    }
    return left;
  };
  // product := unary (("*" | "/") unary | implicit multiplication like 2x)*
  const product = (): Formula => {
    let left = unary();
    for (;;) {
      const t = peek()?.text;
      if (t === "*" || t === "/") {
        at++;
        left = { kind: "binary", op: t, left, right: unary() };
      } else if (t !== undefined && (/^[A-Za-z_(]/.test(t) || /^[\d.]/.test(t))) {
        left = { kind: "binary", op: "*", left, right: unary() };
      } else return left;
    }
  };
  // unary := "-" unary | power ; so -x^2 is -(x^2), as in mathematics
  const unary = (): Formula => {
    if (peek()?.text === "-") {
      at++;
      return { kind: "unary", op: "-", arg: unary() };
    }
    if (peek()?.text === "+") {
      at++;
      return unary();
    }
    return power();
  };
  // power := atom ("^" unary)?   (right-associative)
  const power = (): Formula => {
    const base = atom();
    if (peek()?.text === "^") {
      at++;
      return { kind: "binary", op: "^", left: base, right: unary() };
    }
    return base;
  };
  const atom = (): Formula => {
    const token = peek();
    if (!token) throw new FormulaError("the formula ends too early", end);
    at++;
    if (/^[\d.]/.test(token.text)) return { kind: "number", value: Number(token.text) };
    if (token.text === "(") {
      const inner = sum();
      expect(")");
      return inner;
    }
    if (/^[A-Za-z_]/.test(token.text)) {
      const name = token.text;
      if (name in FUNCTIONS) {
        if (peek()?.text !== "(")
          throw new FormulaError(`${name} needs its argument in brackets: ${name}(…)`, column());
        at++;
        const arg = sum();
        expect(")");
        return { kind: "call", name: name as FunctionName, arg };
      }
      if (variables.includes(name)) return { kind: "variable", name };
      if (name in CONSTANTS) return { kind: "number", value: CONSTANTS[name]! };
      throw new FormulaError(
        `unknown name "${name}": use ${variables.join(", ")}, pi, e or ${FUNCTION_NAMES.join(", ")}`,
        token.column,
      );
    }
    throw new FormulaError(`unexpected "${token.text}"`, token.column);
  };

  if (tokens.length === 0) throw new FormulaError("the formula is empty", 1);
  const tree = sum();
  if (at < tokens.length) throw new FormulaError(`unexpected "${peek()!.text}"`, column());
  return tree;
}

/** The formula as TensorFlow.js operations on tensors of any shape (element-wise). */
export function compileFormula(
  tf: Tf,
  formula: Formula,
): (inputs: Record<string, TF.Tensor>) => TF.Tensor {
  const build = (f: Formula, env: Record<string, TF.Tensor>): TF.Tensor => {
    switch (f.kind) {
      case "number":
        return tf.scalar(f.value);
      case "variable":
        return env[f.name]!;
      case "unary":
        return tf.neg(build(f.arg, env));
      case "call":
        return FUNCTIONS[f.name](tf, build(f.arg, env));
      case "binary": {
        const a = build(f.left, env);
        // x^n with a whole n is a product, so negative x works (pow's gradient needs x > 0).
        if (
          f.op === "^" &&
          f.right.kind === "number" &&
          Number.isInteger(f.right.value) &&
          f.right.value >= 0 &&
          f.right.value <= 8
        ) {
          let out: TF.Tensor = tf.onesLike(a);
          for (let i = 0; i < f.right.value; i++) out = tf.mul(out, a);
          return out;
        }
        const b = build(f.right, env);
        const ops = { "+": tf.add, "-": tf.sub, "*": tf.mul, "/": tf.div, "^": tf.pow } as const;
        return ops[f.op](a, b);
      }
    }
  };
  return (inputs) => {
    const out = build(formula, inputs);
    // A formula without its variable (f(x) = 3) still gives one value per input.
    const first = Object.values(inputs)[0];
    return first && out.rank === 0 && first.rank > 0 ? tf.add(out, tf.zerosLike(first)) : out;
  };
}

/** Writes the tree back as text, with the brackets it needs: what the parser understood. */
export function formatFormula(f: Formula): string {
  const prec = (g: Formula) =>
    g.kind === "binary"
      ? { "+": 1, "-": 1, "*": 2, "/": 2, "^": 4 }[g.op]
      : g.kind === "unary"
        ? 3
        : 5;
  const wrap = (g: Formula, min: number) =>
    prec(g) < min ? `(${formatFormula(g)})` : formatFormula(g);
  switch (f.kind) {
    case "number":
      return String(Number(f.value.toPrecision(6)));
    case "variable":
      return f.name;
    case "unary":
      return `−${wrap(f.arg, 3)}`;
    case "call":
      return `${f.name}(${formatFormula(f.arg)})`;
    case "binary": {
      const p = prec(f);
      const right = f.op === "-" || f.op === "/" ? p + 1 : f.op === "^" ? p - 1 : p;
      const sym = { "+": " + ", "-": " − ", "*": "·", "/": " / ", "^": "^" }[f.op];
      return `${wrap(f.left, f.op === "^" ? p + 1 : p)}${sym}${wrap(f.right, right)}`;
    }
  }
}
