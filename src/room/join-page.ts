/**
 * The join page (join.html, opened from the slide's QR code). Before the tap it loads only this
 * module and its view; the connection and the training worker (TensorFlow.js, the digits) come
 * with the tap. `?fault=nan` or `?fault=flip` makes the device a hostile member on purpose. Leaving the tab
 * (pagehide) leaves the room at once. `join.html?presenter-demo` is the test-only presenter page.
 */
import "./join.css";
import { mountJoinView, NO_FACTS, type JoinFacts, type JoinViewState } from "./join-view.ts";
import { parseFault } from "./fault.ts";
import type { MlpProgress } from "./mlp-member.ts";
import type { MemberSession } from "./member-session.ts";
import { tokenFromHash } from "./token.ts";
import type { MemberStatus } from "./ws-link.ts";

const BACKENDS: Record<string, string> = {
  js: "JavaScript (plain typed arrays)",
  webgl: "TensorFlow.js · WebGL",
  webgpu: "TensorFlow.js · WebGPU",
  wasm: "TensorFlow.js · WebAssembly",
  cpu: "TensorFlow.js · CPU",
};

/** "wasm, 1 thread" (as a worker names its backend) → "TensorFlow.js · WebAssembly (1 thread)" */
function backendText(backend: string): string {
  const [name = "", ...details] = backend.split(", ");
  const label = BACKENDS[name];
  if (!label) return backend;
  return details.length > 0 ? `${label} (${details.join(", ")})` : label;
}

function connectionText(status: MemberStatus): string {
  switch (status.phase) {
    case "connecting":
      return "Connecting…";
    case "joined":
      return status.presenter
        ? `In the room as #${status.id}`
        : `In the room as #${status.id}, waiting for the presenter`;
    case "reconnecting":
      return "Connection dropped; reconnecting…";
    case "closed":
      return "Not connected";
  }
}

/** how often a training device's page shows its progress */
const PROGRESS_EVERY_MS = 500;

const bitsText = (bits: number) => (bits === 32 ? "32 bits (float32)" : `${bits} bits`);

/** What the last step's weights came at and the last gradient went back at. */
function trafficText(progress: MlpProgress): string {
  const parts = [];
  if (progress.weightBits) parts.push(`weights in at ${bitsText(progress.weightBits)}`);
  if (progress.gradientBits) parts.push(`gradients out at ${bitsText(progress.gradientBits)}`);
  return parts.join(" · ");
}

export function startJoinPage(root: HTMLElement): void {
  const token = tokenFromHash(location.hash);
  let session: MemberSession | undefined;
  let state: JoinViewState = token
    ? {
        phase: "ready",
        message: "",
        action: "Tap to join",
        facts: NO_FACTS,
        memberId: null,
        steps: 0,
      }
    : {
        phase: "invalid",
        message:
          "This page opens from the QR code on the presenter's slide: the code carries the room's key. Scan it again.",
        action: "",
        facts: NO_FACTS,
        memberId: null,
        steps: 0,
      };
  const set = (change: Partial<JoinViewState>, facts: Partial<JoinFacts> = {}) => {
    state = { ...state, ...change, facts: { ...state.facts, ...facts } };
    view.update(state);
  };
  const view = mountJoinView(root, {
    onAction: () => void join(),
    onLeave: () => {
      session?.leave("left");
      session = undefined;
    },
  });
  view.update(state);

  const onStatus = (status: MemberStatus, device: string) => {
    if (status.phase === "closed") {
      session?.dispose();
      session = undefined;
    }
    set(
      {
        phase: status.phase,
        message: status.phase === "closed" || status.phase === "reconnecting" ? status.reason : "",
        action: status.phase === "closed" ? "Join again" : "",
        memberId: status.id,
      },
      { connection: connectionText(status), device },
    );
  };
  const fault = parseFault(new URLSearchParams(location.search).get("fault"));
  // A training device reports every step; the page shows the latest at most twice a second
  // (the first at once): each repaint costs the phone's main thread and compositor time that its
  // training worker could use, several times a second for numbers nobody reads that fast.
  let latest: MlpProgress | undefined;
  let shown: ReturnType<typeof setTimeout> | undefined;
  const onProgress = (progress: MlpProgress) => {
    latest = progress;
    if (shown !== undefined) return;
    showProgress(progress);
    latest = undefined;
    shown = setTimeout(() => {
      shown = undefined;
      if (latest) onProgress(latest);
    }, PROGRESS_EVERY_MS);
  };
  const showProgress = (progress: MlpProgress) => {
    const shard = progress.shard;
    set(
      { steps: progress.steps },
      {
        backend: progress.backend
          ? backendText(progress.backend)
          : progress.problem || "starting TensorFlow.js and loading the digits…",
        shard: shard
          ? `digits ${shard.first.toLocaleString("en")}–${shard.last.toLocaleString("en")}${progress.fault ? ` · sending ${progress.fault === "nan" ? "NaN" : "flipped"} gradients on purpose` : ""}`
          : "waiting for the presenter's first step",
        weights: trafficText(progress),
        steps: String(progress.steps),
        lastStep:
          progress.lastStepMs === null
            ? ""
            : `${progress.lastStepMs.toFixed(1)} ms computing ${progress.lastExamples ?? 0} digits · loss ${progress.lastLoss?.toPrecision(3)}`,
      },
    );
  };

  async function join(): Promise<void> {
    if (session || !token || state.phase === "starting") return;
    set({ phase: "starting", action: "Starting…", message: "" });
    try {
      const { startMemberSession } = await import("./member-session.ts");
      session = await startMemberSession({ token, onStatus, onProgress, fault });
    } catch (error) {
      set({
        phase: "closed",
        action: "Try again",
        message: `This device could not start: ${String(error)}`,
      });
    }
  }

  // Closing the tab, or leaving the page: the room hears a goodbye now, not after a timeout.
  addEventListener("pagehide", () => {
    session?.leave("tab closed");
    session = undefined;
  });
  addEventListener("pageshow", (event) => {
    if (event.persisted && token) set({ phase: "ready", action: "Tap to join", message: "" });
  });
}

if (new URLSearchParams(location.search).has("presenter-demo")) {
  void import("./presenter-demo.ts").then(({ startPresenterDemo }) =>
    startPresenterDemo(document.body),
  );
} else {
  startJoinPage(document.body);
}
