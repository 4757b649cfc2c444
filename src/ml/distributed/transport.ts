/**
 * The one interface training code talks through: a point-to-point link to one other member of a
 * training group. Behind it is a Web Worker's port in the presenter's browser, a WebSocket relay
 * to a listener's phone, or an in-process pair in Node tests; the training code is the same.
 *
 * Messages are structured-cloneable data and never code: whoever receives one validates it
 * before use, since the other end may be a device in the audience.
 */
export interface Link<Message = unknown> {
  /** sends one message; `transfer` lists buffers to move rather than copy, where the link can */
  send(message: Message, transfer?: Transferable[]): void;
  /** every message that arrives, in order; returns a function that stops listening */
  onMessage(listener: (message: unknown) => void): () => void;
  /** the other end went away (terminated, disconnected, timed out); called once */
  onClose(listener: (reason: string) => void): () => void;
  /** ends the link from this side; the other end's `onClose` fires where the link can tell it */
  close(reason?: string): void;
}
