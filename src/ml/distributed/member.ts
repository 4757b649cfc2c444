/**
 * A member of the training group: holds a copy of the data, and for every step message computes
 * the loss and gradient on the examples it is told to use, encodes the gradient for the wire and
 * sends it back. The same code runs in a Web Worker (member-worker.ts), in Node tests, and later
 * on a listener's phone; it only ever talks through a Link.
 */
import type { Link } from "./transport.ts";
import { layout, lossAndGradient, prepareBatch, type PreparedBatch, type Tf } from "./mlp.ts";
import type { FromMember, MemberSettings, ToMember } from "./protocol.ts";
import { wallClock } from "./protocol.ts";
import { GradientEncoder, transferables } from "./wire.ts";
import { RingRun } from "./ring-member.ts";

/** A labelled data set: `count` images of 784 pixels in [0, 1]. */
export interface Examples {
  count: number;
  pixels: Float32Array;
  labels: Uint8Array;
}

/**
 * Copies the chosen examples into one batch, in `scratch` where it has the batch's size (the backend
 * copies the pixels into its own memory or, on cpu, keeps them until the batch is disposed: a
 * member disposes each batch before it gathers the next).
 */
export function gather(data: Examples, indices: Int32Array, scratch?: Float32Array<ArrayBuffer>) {
  const pixels =
    scratch?.length === indices.length * 784 ? scratch : new Float32Array(indices.length * 784);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, i) => {
    if (index < 0 || index >= data.count) throw new RangeError(`example ${index} does not exist`);
    pixels.set(data.pixels.subarray(index * 784, (index + 1) * 784), i * 784);
    labels[i] = data.labels[index]!;
  });
  return { pixels, labels, count: indices.length };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface MemberOptions {
  tf: Tf;
  link: Link;
  data: Examples;
  backend: string;
}

/** Serves step requests on `link` until it closes or a stop arrives; resolves then. */
export function serveMember({ tf, link, data, backend }: MemberOptions): Promise<void> {
  const segments = layout();
  const encoder = new GradientEncoder();
  // one batch's pixels, reused from step to step
  let scratch = new Float32Array(0);
  const gatherBatch = (indices: Int32Array) => {
    const batch = gather(data, indices, scratch);
    scratch = batch.pixels;
    return batch;
  };
  let settings: MemberSettings = { bits: 32, errorFeedback: false, slowdown: 1 };
  let queue = Promise.resolve();
  // the batch the coordinator said comes next, already on the backend
  let ahead: { indices: Int32Array; batch: PreparedBatch } | undefined;
  const dropAhead = () => {
    ahead?.batch.dispose();
    ahead = undefined;
  };
  const send = (message: FromMember, transfer: Transferable[] = []) => link.send(message, transfer);
  // the direct ring this member is in, if any (ring-member.ts)
  let ring: RingRun | undefined;
  const leaveRing = () => {
    const leaving = ring;
    ring = undefined;
    return leaving?.halt() ?? Promise.resolve();
  };

  return new Promise<void>((resolve) => {
    const stopListening = link.onMessage((raw) => {
      const message = raw as ToMember;
      if (message?.k === "settings") {
        if (message.bits !== settings.bits || message.errorFeedback !== settings.errorFeedback) {
          encoder.reset();
        }
        settings = {
          bits: message.bits,
          errorFeedback: message.errorFeedback,
          slowdown: message.slowdown,
        };
      } else if (message?.k === "step") {
        // One step at a time, in order: a member is one processor.
        queue = queue
          .then(() => step(message))
          .catch((error: unknown) =>
            send({ k: "error", message: error instanceof Error ? error.message : String(error) }),
          );
      } else if (message?.k === "ring") {
        const previous = leaveRing();
        const start = message;
        // after the step queue and any earlier ring: one processor, one thing at a time
        queue = queue
          .then(() => previous)
          .then(() => {
            dropAhead();
            ring = new RingRun(start, {
              tf,
              gather: gatherBatch,
              send,
              slowdown: () => settings.slowdown,
            });
          });
      } else if (message?.k === "halt") {
        queue = queue.then(() => (ring && message.epoch === ringEpoch() ? leaveRing() : undefined));
      } else if (message?.k === "stop") {
        stopListening();
        dropAhead();
        void leaveRing();
        resolve();
      }
    });
    link.onClose(() => {
      dropAhead();
      void leaveRing();
      resolve();
    });
    send({ k: "ready", backend, examples: data.count });
  });

  function ringEpoch(): number | undefined {
    return ring?.epoch;
  }

  async function step(message: Extract<ToMember, { k: "step" }>): Promise<void> {
    const received = wallClock();
    const ready = ahead && sameIndices(ahead.indices, message.indices) ? ahead.batch : undefined;
    if (!ready) dropAhead();
    ahead = undefined;
    let result;
    try {
      // the gradient goes into the parameters' buffer, which travels back to the coordinator
      result = await lossAndGradient(
        tf,
        message.params,
        ready ?? gatherBatch(message.indices),
        undefined,
        message.params,
      );
    } finally {
      ready?.dispose();
    }
    const { loss, gradient } = result;
    const computed = wallClock();
    // A straggler: a slower machine takes `slowdown` times as long for the same work.
    if (settings.slowdown > 1) await sleep((computed - received) * (settings.slowdown - 1));
    const wire = encoder.encode(gradient, segments, settings.bits, settings.errorFeedback);
    send(
      {
        k: "gradient",
        step: message.step,
        version: message.version,
        loss,
        count: message.indices.length,
        gradient: wire,
        times: { received, computed, sent: wallClock() },
      },
      transferables(wire),
    );
    // the next batch, while the coordinator averages: off the step's critical path
    if (message.next instanceof Int32Array && message.next.length > 0) {
      try {
        ahead = { indices: message.next, batch: prepareBatch(tf, gatherBatch(message.next)) };
      } catch {
        ahead = undefined; // a bad hint costs only the head start; the step itself will say
      }
    }
  }
}

function sameIndices(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
