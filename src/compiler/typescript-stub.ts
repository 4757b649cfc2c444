/**
 * Stands in for Notebook Kit's TypeScript support when its transpiler runs in the browser (to
 * compile edited cells): Flowdeck cells are JavaScript, and the TypeScript compiler would add
 * megabytes to every page that edits code.
 */
export function transpileTypeScript(): never {
  throw new Error("TypeScript cells are not supported in the browser");
}
