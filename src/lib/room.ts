/** `flowdeck/room`: the audience as a cluster: the room's panel (QR code, roster) and its links. */
import { startMemberWorker } from "../ml/distributed/worker-link.ts";
import { ClusterDemo } from "../room/cluster-demo.ts";

export * from "../room/room-panel.ts";
export * from "../room/ws-link.ts";
export * from "../room/qr-view.ts";
export { ClusterDemo } from "../room/cluster-demo.ts";
export { RoomTraining, ROOM_CONFIG } from "../room/room-training.ts";

export interface CreateClusterOptions {
  /** the site's base URL, where data/mnist/ is (a cell passes document.baseURI) */
  base: string;
  /** this browser's own workers (they train whether or not a room is open) */
  local?: number;
}

/** The cluster slide's demo: this browser's workers plus every device that joins the room. */
export function createClusterDemo({ base, local }: CreateClusterOptions): ClusterDemo {
  const cores = globalThis.navigator?.hardwareConcurrency || 2;
  return new ClusterDemo({
    local: local ?? Math.max(1, Math.min(2, cores - 1)),
    spawnLocal: () => startMemberWorker(base, "wasm", "cluster-member"),
    examples: 10_000,
    page: globalThis.location?.href,
    qrSize: "min(28vh, 220px)",
  });
}
