/**
 * Tells a generator cell that its slide was left. The engine pauses a generator at its `yield`
 * while its slide is not showing (its next value is not pulled), but a worker the cell started
 * keeps running. Wrap each `yield` in `before()` / `after()` and call `poke()` when the worker
 * reports something: if the generator has sat in a `yield` for `ms` while news arrived, it is
 * paused, and `onPaused` stops the work (the cell resumes, or restarts it, when it is pulled again).
 */
export interface PauseWatch {
  before(): void;
  after(): void;
  poke(): void;
  readonly paused: boolean;
  dispose(): void;
}

export function createPauseWatch(onPaused: () => void, ms = 1500): PauseWatch {
  let since: number | undefined; // when the current yield began
  let timer: ReturnType<typeof setTimeout> | undefined;
  let paused = false;
  const check = () => {
    timer = undefined;
    if (since === undefined || paused) return;
    const waited = performance.now() - since;
    if (waited >= ms) {
      paused = true;
      onPaused();
    } else timer = setTimeout(check, ms - waited);
  };
  return {
    before() {
      since = performance.now();
    },
    after() {
      since = undefined;
      paused = false;
    },
    poke() {
      if (since !== undefined && !timer && !paused) timer = setTimeout(check, ms);
    },
    get paused() {
      return paused;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
