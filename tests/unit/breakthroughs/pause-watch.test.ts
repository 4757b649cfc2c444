import { afterEach, describe, expect, it, vi } from "vitest";
import { createPauseWatch } from "../../../src/ml/breakthroughs/pause-watch.ts";

describe("pause watch", () => {
  afterEach(() => vi.useRealTimers());

  it("fires when news arrives while the generator sits in a yield, not while it is pulled", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const onPaused = vi.fn();
    const watch = createPauseWatch(onPaused, 100);
    watch.before();
    watch.poke();
    vi.advanceTimersByTime(50);
    watch.after(); // pulled in time: not paused
    vi.advanceTimersByTime(100);
    expect(onPaused).not.toHaveBeenCalled();
    watch.before();
    watch.poke();
    vi.advanceTimersByTime(150);
    expect(onPaused).toHaveBeenCalledTimes(1);
    expect(watch.paused).toBe(true);
    watch.after();
    expect(watch.paused).toBe(false);
    watch.dispose();
  });

  it("never fires without news (an idle widget waiting for a click)", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const onPaused = vi.fn();
    const watch = createPauseWatch(onPaused, 100);
    watch.before();
    vi.advanceTimersByTime(1000);
    expect(onPaused).not.toHaveBeenCalled();
  });
});
