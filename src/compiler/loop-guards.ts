/**
 * Inserts a call to the loop guard at the top of every loop in a transpiled cell body, so that
 * a loop that never ends (in a cell, a function it defines, or a generator between yields) is
 * stopped with an error instead of freezing the page. The guard itself is in
 * src/runtime/loop-guard.ts; the emitted module imports it under LOOP_GUARD.
 */
import { parse, type Node } from "acorn";
import { simple } from "acorn-walk";
import { LOOP_GUARD } from "./reserved-names.ts";

interface Edit {
  at: number;
  text: string;
}

type LoopNode = Node & { body: Node & { type: string; start: number; end: number } };

/** `body` is a function expression as notebook-kit's transpiler produces it. */
export function guardLoops(body: string): string {
  const wrapped = `(${body})`;
  const program = parse(wrapped, { ecmaVersion: "latest", sourceType: "module" });
  const edits: Edit[] = [];
  const guard = (node: Node) => {
    const loopBody = (node as LoopNode).body;
    if (loopBody.type === "BlockStatement") {
      edits.push({ at: loopBody.start + 1, text: `${LOOP_GUARD}();` });
    } else {
      edits.push({ at: loopBody.start, text: `{${LOOP_GUARD}();` });
      edits.push({ at: loopBody.end, text: "}" });
    }
  };
  simple(program, {
    ForStatement: guard,
    ForInStatement: guard,
    ForOfStatement: guard,
    WhileStatement: guard,
    DoWhileStatement: guard,
  });
  if (!edits.length) return body;
  // Apply from the end so earlier offsets stay valid; at equal offsets, closing braces first.
  edits.sort((a, b) => b.at - a.at || (a.text === "}" ? -1 : 1));
  let out = wrapped;
  for (const { at, text } of edits) out = out.slice(0, at) + text + out.slice(at);
  return out.slice(1, -1);
}
