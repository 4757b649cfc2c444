/**
 * The check that compiled cells call at the top of every loop iteration and every function they
 * define (see src/compiler/loop-guards.ts). JavaScript cannot interrupt running code from
 * outside, so the code interrupts itself: once the page has gone more than the limit without a
 * turn of its event loop (no task, so no rendering and no input), the next check throws.
 *
 * A turn is a task, not a microtask: a loop that awaits (`while (true) await 0`) or a chain of
 * promises that never ends runs entirely in microtasks and freezes the page just the same. So
 * the clock is reset by a message posted to a channel, which runs only as a task of its own.
 * The state is per thread, like the event loop it watches.
 */

export const LOOP_LIMIT_MS = 2000;
/** Reading the clock on every check would slow tight loops; every 64th is often enough. */
const CHECK_EVERY = 64;

export class LoopTimeoutError extends Error {
  override name = "LoopTimeoutError";
  /** the cell whose code was stopped */
  readonly cell: string;

  constructor(cell: string) {
    super(
      `Stopped ${cell || "a cell"}: its code ran for more than ${LOOP_LIMIT_MS / 1000} s without letting the page respond`,
    );
    this.cell = cell;
  }
}

let checks = 0;
let sliceStart = -1;
/** which slice a pending reset belongs to, so that a late one never ends a newer slice */
let slice = 0;
let channel: MessagePort | undefined;

/**
 * What each cell has run for in the current slice. A slice often holds many cells (the runtime
 * computes a whole wave of them in one task, and the print view runs every cell of a deck at
 * once), so the limit is per cell: a cell is stopped for its own runaway, not for its
 * neighbours' work. The clock is read when the checking cell changes, and what ran since the
 * last reading is charged to the cell that was running, so two runaways that take turns at
 * every `await` are still both charged.
 */
const spent = new Map<string, number>();
let running = "";
let lastReading = 0;

/**
 * Starts a slice, to end at the next task: that is when the page gets its turn. Both a message
 * and a timer are asked for, since either kind of task may be the first to run.
 */
function startSlice(cell: string): void {
  sliceStart = lastReading = performance.now();
  spent.clear();
  running = cell;
  const mine = ++slice;
  const end = () => void (slice === mine && (sliceStart = -1));
  channel ??= messagePort();
  channel.postMessage(mine);
  setTimeout(end, 0);
}

function messagePort(): MessagePort {
  const pair = new MessageChannel();
  pair.port1.onmessage = (event: MessageEvent<number>) => {
    if (event.data === slice) sliceStart = -1;
  };
  // In Node (unit tests) the ports must not keep the process alive.
  for (const port of [pair.port1, pair.port2]) (port as { unref?: () => void }).unref?.();
  return pair.port2;
}

/** Charges the time since the last reading to the cell that ran it; returns that cell's total. */
function charge(cell: string): number {
  const now = performance.now();
  const total = (spent.get(cell) ?? 0) + (now - lastReading);
  spent.set(cell, total);
  lastReading = now;
  return total;
}

export function loopGuard(cell = ""): void {
  if (sliceStart < 0) return startSlice(cell);
  if (cell !== running) {
    charge(running);
    running = cell;
    if ((spent.get(cell) ?? 0) > LOOP_LIMIT_MS) throw new LoopTimeoutError(cell);
    return;
  }
  if (++checks % CHECK_EVERY !== 0) return;
  if (charge(cell) > LOOP_LIMIT_MS) {
    // Throwing again and again until the page gets its turn unwinds every frame of the runaway.
    throw new LoopTimeoutError(cell);
  }
}
