/**
 * Inserts a call to the runaway guard at the top of every loop iteration and every function in a
 * transpiled cell body, so that code that never gives the page a turn (a loop, an awaiting loop,
 * a recursion through promises, a generator between yields) is stopped with an error naming the
 * cell instead of freezing the page. The guard itself is src/runtime/loop-guard.ts; a built
 * module imports it under LOOP_GUARD, a reader's edit gets it in scope.
 */
import { parse, type Node } from "acorn";
import { simple } from "acorn-walk";
import { LOOP_GUARD } from "./reserved-names.ts";

interface Edit {
  at: number;
  text: string;
  /** a closing insertion ends a node; an opening one starts a block */
  closing: boolean;
  /** the length of the node it belongs to, to nest insertions made at the same place */
  span: number;
}

interface Ranged {
  start: number;
  end: number;
  type: string;
}
type WithBody = Node & { body: Ranged; expression?: boolean };

/**
 * `body` is a function expression as Notebook Kit's transpiler produces it; `cell` names the
 * cell in the error (its key).
 */
export function guardLoops(body: string, cell = ""): string {
  const wrapped = `(${body})`;
  // With preserveParens, `() => ({…})` has a body that spans its parentheses.
  const program = parse(wrapped, {
    ecmaVersion: "latest",
    sourceType: "module",
    preserveParens: true,
  });
  const call = `${LOOP_GUARD}(${JSON.stringify(cell)});`;
  const edits: Edit[] = [];
  const span = (node: Ranged) => node.end - node.start;
  /** a statement (loop body) or block made to start with the guard */
  const guardStatement = (node: Node) => {
    const inner = (node as WithBody).body;
    if (inner.type === "BlockStatement") {
      edits.push({ at: inner.start + 1, text: call, closing: false, span: span(inner) });
    } else {
      edits.push({ at: inner.start, text: `{${call}`, closing: false, span: span(inner) });
      edits.push({ at: inner.end, text: "}", closing: true, span: span(inner) });
    }
  };
  const guardFunction = (node: Node) => {
    const fn = node as WithBody;
    if (fn.body.type === "BlockStatement") return guardStatement(node);
    // An arrow with an expression body becomes one with a block that returns it.
    edits.push({
      at: fn.body.start,
      text: `{${call}return (`,
      closing: false,
      span: span(fn.body),
    });
    edits.push({ at: fn.body.end, text: ");}", closing: true, span: span(fn.body) });
  };
  simple(program, {
    ForStatement: guardStatement,
    ForInStatement: guardStatement,
    ForOfStatement: guardStatement,
    WhileStatement: guardStatement,
    DoWhileStatement: guardStatement,
    FunctionDeclaration: guardFunction,
    FunctionExpression: guardFunction,
    ArrowFunctionExpression: guardFunction,
  });
  if (!edits.length) return body;
  // Applied from the end, so earlier offsets stay valid. At one offset, what is applied first
  // ends up rightmost: left to right, closings (inner first), then openings (outer first).
  const leftToRight = (e: Edit) => (e.closing ? e.span : 1e12 - e.span);
  edits.sort((a, b) => b.at - a.at || leftToRight(b) - leftToRight(a));
  let out = wrapped;
  for (const { at, text } of edits) out = out.slice(0, at) + text + out.slice(at);
  return out.slice(1, -1);
}
