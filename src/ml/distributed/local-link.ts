/**
 * Two ends of an in-process link: messages are structured-cloned and delivered a task later, as
 * a MessagePort's would be. For Node tests and the bench's single-thread reference; `crash()`
 * silences one end without telling the other, as a machine that dies does.
 */
import type { Link } from "./transport.ts";

export interface LocalLink extends Link {
  /** stop delivering anything either way, without a close event: a silent failure */
  crash(): void;
}

export function localLinks(): [LocalLink, LocalLink] {
  const ends: LocalEnd[] = [];
  ends.push(new LocalEnd(() => ends[1]!), new LocalEnd(() => ends[0]!));
  return [ends[0]!, ends[1]!];
}

class LocalEnd implements LocalLink {
  readonly #other: () => LocalEnd;
  readonly #messageListeners = new Set<(message: unknown) => void>();
  readonly #closeListeners = new Set<(reason: string) => void>();
  #queue: unknown[] | undefined = [];
  #dead = false;

  constructor(other: () => LocalEnd) {
    this.#other = other;
  }

  send(message: unknown, transfer: Transferable[] = []): void {
    if (this.#dead) return;
    // ports must move (they cannot be copied); buffers are copied, the sender may keep them
    const ports = transfer.filter(
      (t) => typeof MessagePort === "function" && t instanceof MessagePort,
    );
    const copy = structuredClone(message, { transfer: ports });
    setTimeout(() => this.#other().deliver(copy), 0);
  }

  onMessage(listener: (message: unknown) => void): () => void {
    this.#messageListeners.add(listener);
    const queued = this.#queue ?? [];
    this.#queue = undefined;
    for (const m of queued) listener(m);
    return () => this.#messageListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  close(reason = "closed"): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#other().ended(reason);
  }

  crash(): void {
    this.#dead = true;
    this.#other().#dead = true;
  }

  deliver(message: unknown): void {
    if (this.#dead) return;
    if (this.#queue) this.#queue.push(message);
    else for (const listener of this.#messageListeners) listener(message);
  }

  ended(reason: string): void {
    if (this.#dead) return;
    this.#dead = true;
    for (const listener of this.#closeListeners) listener(reason);
  }
}
