/**
 * The room server's relay apart from the training and the browsers: a presenter and one member,
 * both the pages' own link code (ws-link.ts) over ws's client in this Node process, on loopback.
 * The presenter sends a step as the cluster page does (weights packed at `bits`, 16 batches of
 * indices), the member answers at once with a gradient of the same size; each round trip is
 * timed, paced so that the member's bytes stay within half its sustained rate (the room throws
 * out a member that floods it). What is left of a device's round trip in the real run beyond this is the browsers'
 * main threads and workers and the machine's other load.
 */
import { WebSocket as WsClient } from "ws";
import { initialParameters } from "../../src/ml/distributed/mlp.ts";
import type { Link } from "../../src/ml/distributed/transport.ts";
import { DEFAULT_LIMITS } from "../../src/room/protocol.ts";
import { packWeights, weightBytes, type WeightBits } from "../../src/room/weights.ts";
import { joinRoom, openPresenterRoom } from "../../src/room/ws-link.ts";
import type { RoomServer } from "../../tools/room/server.ts";
import { percentile } from "../lib/stats.ts";

export interface RelayResult {
  median: number;
  p95: number;
  samples: number;
  /** bytes of the step's frame payload down (weights and indices) */
  stepBytes: number;
}

const createSocket = (url: string) => new WsClient(url) as unknown as WebSocket;

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`room relay: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function measureRelay(
  server: RoomServer,
  bits: WeightBits,
  trips = 60,
): Promise<RelayResult> {
  const presenter = await openPresenterRoom({ page: server.localUrl, createSocket });
  const member = joinRoom({
    page: server.localUrl,
    token: server.joinToken,
    device: { name: "bench relay", kind: "computer", backend: "js", cores: 1 },
    createSocket,
  });
  try {
    let memberLink: Link | undefined;
    member.onLink((link) => {
      memberLink = link;
      // answers each step at once, with its weights as the gradient (the same size and kind)
      link.onMessage((raw) => {
        const m = raw as { k?: string; step?: number; weights?: unknown; params?: unknown };
        if (m?.k !== "step") return;
        link.send({ k: "gradient", step: m.step, gradient: m.weights ?? m.params });
      });
    });
    await until("the member to join", () => member.status.phase === "joined");
    const id = member.status.id!;
    await until("the presenter's link", () => presenter.link(id) !== undefined && !!memberLink);
    const link = presenter.link(id)!;
    const params = initialParameters(1);
    const indices = new Int32Array(16 * 128);
    let answered: () => void = () => {};
    let lost: (error: Error) => void = () => {};
    link.onMessage(() => answered());
    link.onClose((reason) => lost(new Error(`room relay: the member's link closed (${reason})`)));
    const paceBytesPerMs = DEFAULT_LIMITS.memberBytesPerSecond / 2 / 1000;
    const times: number[] = [];
    let stepBytes = 0;
    for (let i = 0; i < trips + 10; i++) {
      const step = {
        k: "step" as const,
        step: i,
        version: i,
        params: params.slice(),
        indices,
        next: indices,
        sentAt: 0,
      };
      const packed = packWeights(step, bits);
      stepBytes = weightBytes(packed) + 2 * indices.byteLength;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const back = new Promise<void>((resolve, reject) => {
        answered = resolve;
        lost = reject;
        timer = setTimeout(() => reject(new Error("room relay: no answer in 5 s")), 5000);
      });
      const t0 = performance.now();
      link.send(packed);
      await back.finally(() => clearTimeout(timer));
      const trip = performance.now() - t0;
      if (i >= 10) times.push(trip); // the first few warm the sockets up
      const rest = weightBytes(packed) / paceBytesPerMs - trip;
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
    return {
      median: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      samples: times.length,
      stepBytes,
    };
  } finally {
    member.leave("bench over");
    presenter.close();
  }
}
