/**
 * The cluster slide outside the deck, for tests and the bench: `join.html?presenter-demo`, opened
 * on the room server's machine. The same ClusterDemo the deck's cluster cell shows (QR code,
 * roster, real MNIST training on this page's workers and the joined devices). `?local=N` sets
 * the page's own workers (2 by default, 0 for devices only), `?mode=async` trains without a
 * barrier, `?weights=32` sends devices float32 weights and has them send float32 gradients (16 bits
 * by default; `?gradients=` sets the gradients' apart), `?batches=N` sends every member N batches a
 * step whatever its round trip (for the bench's like-for-like "alone"), `?lr=` sets the base learning
 * rate (0.1; for trying the large-batch trade). Tests drive it through
 * `window.flowdeckRoomDemo`.
 */
import { ROOM_TRIPS, type TripPolicy } from "../ml/distributed/trip-batches.ts";
import { startMemberWorker } from "../ml/distributed/worker-link.ts";
import { ClusterDemo, type ClusterSnapshot } from "./cluster-demo.ts";

export interface RoomDemoHooks {
  /** resolves once the page knows whether a room server is there */
  ready: Promise<boolean>;
  snapshot(): ClusterSnapshot;
  setCombine(how: "mean" | "median" | "trimmed"): void;
  setMode(mode: "sync" | "async"): void;
  setWeightBits(bits: 32 | 16): void;
  setGradientBits(bits: 32 | 16): void;
  /** every member N batches a step from now on (as `?batches=N`), or null: the page's own policy */
  setBatches(batches: number | null): void;
}

declare global {
  interface Window {
    flowdeckRoomDemo?: RoomDemoHooks;
  }
}

/** MNIST's test set as the site ships it: each member loads all of it and uses its shard. */
const EXAMPLES = 10_000;

/** A step time no member reaches, so that each is sent the most batches, `batches` (1–16). */
function fixedTrips(batches: number): TripPolicy | undefined {
  const fixed = Math.floor(batches);
  return fixed >= 1 && fixed <= ROOM_TRIPS.maxBatches
    ? { ...ROOM_TRIPS, maxBatches: fixed, minStepMs: 1e6, maxStepMs: 1e6 }
    : undefined;
}

export function startPresenterDemo(root: HTMLElement): void {
  const main = document.createElement("main");
  main.className = "fd-room-demo";
  main.style.padding = "1em";
  main.style.fontFamily = "system-ui, sans-serif";
  const title = document.createElement("h1");
  title.textContent = "The audience is the cluster: MNIST across this page's workers and the room";
  main.append(title);
  root.replaceChildren(main);
  const params = new URLSearchParams(location.search);
  const local = Math.max(0, Math.min(8, Number(params.get("local") ?? 2) || 0));
  const base = new URL(".", location.href).href;
  // ?mode=async: no barrier, so a slow device never holds up the page's own workers
  const mode = params.get("mode") === "async" ? "async" : "sync";
  // ?batches=N: every member N batches a step whatever its round trip
  const trips = fixedTrips(Number(params.get("batches")));
  const demo = new ClusterDemo({
    local,
    spawnLocal: () => startMemberWorker(base, "wasm", "cluster-member"),
    examples: EXAMPLES,
    config: {
      mode,
      ...(trips ? { trips } : {}),
      ...(Number(params.get("lr")) > 0 ? { learningRate: Number(params.get("lr")) } : {}),
    },
    weightBits: params.get("weights") === "32" ? 32 : 16,
    // the gradients follow the weights unless said (?gradients=32 or 16)
    gradientBits: params.has("gradients")
      ? params.get("gradients") === "32"
        ? 32
        : 16
      : undefined,
    qrSize: "min(30vh, 240px)",
  });
  main.append(demo.frame());
  const redraw = setInterval(() => demo.frame(), 250);
  window.flowdeckRoomDemo = {
    ready: demo.room,
    snapshot: () => demo.snapshot(),
    setCombine: (how) => demo.training.setCombine(how),
    setMode: (mode) => demo.training.setMode(mode),
    setWeightBits: (bits) => demo.training.setWeightBits(bits),
    setGradientBits: (bits) => demo.training.setGradientBits(bits),
    setBatches: (batches) => {
      demo.training.coordinator.config.trips =
        (batches === null ? undefined : fixedTrips(batches)) ?? trips ?? ROOM_TRIPS;
    },
  };
  addEventListener("pagehide", () => {
    clearInterval(redraw);
    void demo.dispose();
  });
}
