/**
 * The check that compiled cells call at the top of every loop iteration (see
 * src/compiler/loop-guards.ts). JavaScript cannot interrupt a running loop from outside, so the
 * loop interrupts itself: once the current task has run loops for longer than the limit without
 * giving the page a turn, the next iteration throws.
 */

export const LOOP_LIMIT_MS = 2000;
/** Reading the clock on every iteration would slow tight loops; every 64th is often enough. */
const CHECK_EVERY = 64;

export class LoopTimeoutError extends Error {
  override name = "LoopTimeoutError";
}

let iterations = 0;
let sliceStart = -1;

export function loopGuard(): void {
  if (sliceStart < 0) {
    // The first loop of this task: the slice ends when the task yields (the microtask queue
    // runs only once the synchronous code has finished or awaits).
    sliceStart = performance.now();
    queueMicrotask(() => (sliceStart = -1));
    return;
  }
  if (++iterations % CHECK_EVERY !== 0) return;
  if (performance.now() - sliceStart > LOOP_LIMIT_MS) {
    throw new LoopTimeoutError(
      `Stopped a loop that ran for more than ${LOOP_LIMIT_MS / 1000} s without letting the page respond`,
    );
  }
}
