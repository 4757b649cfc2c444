/**
 * Names that compiled cell bodies use for the engine's helpers, kept apart from the compiler
 * itself so that pages can name them without loading a parser.
 */

/** the loop guard that every loop calls (loop-guards.ts inserts the calls) */
export const LOOP_GUARD = "__flowdeckLoop";

/** the module table that every `import(…)` calls (module-imports.ts rewrites them) */
export const MODULE_IMPORT = "__flowdeckImport";

/** The prefix of the project's own modules, as cells import them: `flowdeck/mnist`. */
export const PROJECT_PREFIX = "flowdeck/";
