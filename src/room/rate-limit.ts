/**
 * A token bucket: `rate` tokens a second flow in, up to `burst`; each message spends some. A
 * member that spends faster than the rate for longer than the burst allows is flooding. The
 * clock is passed in, so tests need no timers.
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  #tokens: number;
  #at: number;

  constructor(rate: number, burst: number, now: number) {
    if (!(rate > 0) || !(burst > 0))
      throw new RangeError("a bucket needs a positive rate and burst");
    this.rate = rate;
    this.burst = burst;
    this.#tokens = burst;
    this.#at = now;
  }

  /** Spends `cost` tokens if there are that many; false (and nothing spent) if not. */
  take(cost: number, now: number): boolean {
    const elapsed = Math.max(0, now - this.#at) / 1000;
    this.#tokens = Math.min(this.burst, this.#tokens + elapsed * this.rate);
    this.#at = Math.max(this.#at, now);
    if (cost > this.#tokens) return false;
    this.#tokens -= cost;
    return true;
  }
}

export interface FloodLimits {
  messagesPerSecond: number;
  messageBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
}

/** Both limits of one connection: messages and bytes. */
export class FloodGuard {
  readonly #messages: TokenBucket;
  readonly #bytes: TokenBucket;
  readonly #limits: FloodLimits;

  constructor(limits: FloodLimits, now: number) {
    this.#limits = limits;
    this.#messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
    this.#bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst, now);
  }

  /** undefined while within limits, else why not */
  admit(bytes: number, now: number): string | undefined {
    if (!this.#messages.take(1, now))
      return `flooding: over ${this.#limits.messagesPerSecond} messages a second`;
    if (!this.#bytes.take(bytes, now))
      return `flooding: over ${Math.round(this.#limits.bytesPerSecond / 1024)} KiB a second`;
    return undefined;
  }
}
