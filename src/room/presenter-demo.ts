/**
 * A minimal presenter page for the room, until the deck's cluster slide exists (phase 2):
 * `join.html?presenter-demo`, opened on the room server's machine. It shows the room panel
 * (QR code and roster), trains the linear stand-in across the joined devices, and draws the loss
 * against time with the moments members joined and left. Tests drive it through
 * `window.flowdeckRoomDemo`.
 */
import "./room.css";
import { DemoTrainer, percentile, type MemberEvent, type StepRecord } from "./demo-trainer.ts";
import { mountRoomPanel } from "./room-panel.ts";
import type { RosterEntry } from "./roster.ts";

export interface RoomDemoHooks {
  /** resolves once the page knows whether a room server is there */
  ready: Promise<boolean>;
  snapshot(): {
    step: number;
    loss: number;
    history: StepRecord[];
    events: MemberEvent[];
    members: { id: number; shard: number; steps: number }[];
    roster: RosterEntry[];
    params: number[];
  };
  /** pauses training, measures `count` round trips to member `id`, resumes */
  roundTrips(
    id: number,
    count: number,
  ): Promise<{ median: number; p95: number; samples: number[] }>;
}

declare global {
  interface Window {
    flowdeckRoomDemo?: RoomDemoHooks;
  }
}

const SVG = "http://www.w3.org/2000/svg";

/** Loss (log scale) against seconds, with a tick where a member joined or left. */
function drawLoss(
  svg: SVGSVGElement,
  history: readonly StepRecord[],
  events: readonly MemberEvent[],
): void {
  const width = 600;
  const height = 200;
  svg.replaceChildren();
  if (history.length < 2) return;
  const t0 = history[0]!.time;
  const t1 = Math.max(history.at(-1)!.time, t0 + 1);
  const logs = history.map((r) => Math.log10(Math.max(r.loss, 1e-6)));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs, lo + 1e-3);
  const x = (t: number) => ((t - t0) / (t1 - t0)) * width;
  const y = (v: number) => height - ((v - lo) / (hi - lo)) * height;
  for (const event of events) {
    if (event.time < t0) continue;
    const tick = document.createElementNS(SVG, "line");
    tick.setAttribute("x1", String(x(event.time)));
    tick.setAttribute("x2", String(x(event.time)));
    tick.setAttribute("y1", "0");
    tick.setAttribute("y2", String(height));
    tick.setAttribute("stroke", event.kind === "joined" ? "#188038" : "#d93025");
    tick.setAttribute("stroke-dasharray", "4 3");
    tick.dataset.event = event.kind;
    svg.append(tick);
  }
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute(
    "points",
    history.map((r, i) => `${x(r.time).toFixed(1)},${y(logs[i]!).toFixed(1)}`).join(" "),
  );
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "currentColor");
  line.setAttribute("stroke-width", "2");
  svg.append(line);
}

export function startPresenterDemo(root: HTMLElement): void {
  const main = document.createElement("main");
  main.className = "fd-room-demo";
  main.style.padding = "1em";
  main.style.fontFamily = "system-ui, sans-serif";
  const title = document.createElement("h1");
  title.textContent = "Room demo: linear regression across the devices that join";
  const panelHost = document.createElement("div");
  const status = document.createElement("p");
  status.className = "fd-room-demo-status";
  status.setAttribute("aria-live", "polite");
  const chart = document.createElementNS(SVG, "svg");
  chart.setAttribute("viewBox", "0 0 600 200");
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", "Loss against time");
  chart.style.width = "min(100%, 600px)";
  chart.style.border = "1px solid rgb(128 128 128 / 0.4)";
  main.append(title, panelHost, status, chart);
  root.replaceChildren(main);

  const trainer = new DemoTrainer();
  const panel = mountRoomPanel(panelHost, { qrSize: "min(40vh, 320px)" });
  let training: AbortController | undefined;
  let loop: Promise<void> = Promise.resolve();
  let roster: RosterEntry[] = [];

  const render = () => {
    const last = trainer.history.at(-1);
    status.textContent = last
      ? `step ${last.step} · loss ${last.loss.toPrecision(3)} · ${last.contributors} contributing${last.missing ? `, ${last.missing} late` : ""}`
      : "waiting for devices";
    drawLoss(chart, trainer.history.slice(-600), trainer.events);
  };
  const redraw = setInterval(render, 250);

  const start = () => {
    const controller = new AbortController();
    training = controller;
    loop = loop.then(() => trainer.run(controller.signal));
  };
  /** Stops training once the step in flight is done. */
  const stop = () => {
    training?.abort();
    return loop;
  };

  const ready = panel.room.then((room) => {
    if (!room) {
      clearInterval(redraw);
      return false;
    }
    room.onRoster((entries) => (roster = entries));
    room.onMember((member, link) => trainer.addMember(member.id, link));
    room.onClose(() => void stop());
    start();
    return true;
  });

  window.flowdeckRoomDemo = {
    ready,
    snapshot: () => ({
      step: trainer.step,
      loss: trainer.loss(),
      history: trainer.history,
      events: trainer.events,
      members: trainer.members(),
      roster,
      params: Array.from(trainer.params),
    }),
    async roundTrips(id, count) {
      await stop();
      try {
        const samples = await trainer.roundTrips(id, count);
        return { median: percentile(samples, 50), p95: percentile(samples, 95), samples };
      } finally {
        start();
      }
    },
  };

  addEventListener("pagehide", () => {
    void stop();
    clearInterval(redraw);
    panel.destroy();
  });
}
