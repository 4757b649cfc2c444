/**
 * A room without a network, for RoomTraining's unit tests: devices join through in-process links,
 * each behind a phone's bridge (16-bit weights back to float32 before computing, as
 * mlp-member.ts does), optionally spoiling its gradients; what a device sends goes through the
 * room's binary framing, as over a socket; `remove` closes a device's link, as the room does. `localMember` is a presenter's worker on the same kind of link.
 */
import type * as TF from "@tensorflow/tfjs";
import type { SpawnedMember } from "../../../src/ml/distributed/cluster.ts";
import { localLinks, type LocalLink } from "../../../src/ml/distributed/local-link.ts";
import { serveMember, type Examples } from "../../../src/ml/distributed/member.ts";
import type { Link } from "../../../src/ml/distributed/transport.ts";
import type { WireGradient } from "../../../src/ml/distributed/wire.ts";
import { decodeFrame, encodeFrame } from "../../../src/room/framing.ts";
import { spoil, type Fault } from "../../../src/room/mlp-member.ts";
import type { MemberInfo } from "../../../src/room/protocol.ts";
import type { MemberSource } from "../../../src/room/room-training.ts";
import { unpackWeights } from "../../../src/room/weights.ts";

const FRAME_LIMITS = { maxFrameBytes: 4 * 1024 * 1024, maxHeaderBytes: 16 * 1024 };

export function localMember(tf: typeof TF, data: Examples): SpawnedMember {
  const [page, member] = localLinks();
  void serveMember({ tf, link: member, data, backend: "cpu" });
  return { link: page, kill: () => member.crash(), dispose: () => page.close() };
}

export class FakeRoom implements MemberSource {
  readonly removed: { id: number; reason: string }[] = [];
  readonly #listeners = new Set<(member: MemberInfo, link: Link) => void>();
  readonly #links = new Map<number, LocalLink>();
  readonly #tf: typeof TF;
  readonly #data: Examples;

  constructor(tf: typeof TF, data: Examples) {
    this.#tf = tf;
    this.#data = data;
  }

  onMember(listener: (member: MemberInfo, link: Link) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A device joins; `fault` spoils its gradients, "junk" sends malformed ones, a function sends
   * whatever it makes of each gradient instead.
   */
  join(id: number, fault?: Fault | "junk" | ((gradient: WireGradient) => unknown)): LocalLink {
    const [page, device] = localLinks();
    const link: Link = {
      onMessage: (l) => device.onMessage((m) => l(unpackWeights(m))),
      onClose: (l) => device.onClose(l),
      close: (r) => device.close(r),
      send(message) {
        const m = message as { k: string; gradient: WireGradient };
        let out: unknown = message;
        if (m.k === "gradient" && fault !== undefined) {
          if (fault === "junk") out = { ...m, gradient: { bits: 32, data: [1] } };
          else if (typeof fault === "function") out = { ...m, gradient: fault(m.gradient) };
          else spoil(m.gradient, fault);
        }
        const decoded = decodeFrame(encodeFrame(0, out), FRAME_LIMITS);
        if (!decoded.ok) throw new Error(decoded.reason);
        device.send(decoded.message);
      },
    };
    void serveMember({ tf: this.#tf, link, data: this.#data, backend: "cpu" });
    this.#links.set(id, page as LocalLink);
    const info: MemberInfo = {
      id,
      device: { name: `Phone ${id}`, kind: "phone", backend: "cpu", cores: 4 },
      joinedAt: 0,
      resumed: false,
    };
    for (const listener of this.#listeners) listener(info, page);
    return device;
  }

  remove(id: number, reason: string): void {
    this.removed.push({ id, reason });
    this.#links.get(id)?.close(reason);
  }
}
