/**
 * The cluster slide: the room's QR code and roster, this browser's workers and the joined
 * devices training one MNIST network together, a table of the training members (device type,
 * backend, speed, steps, staleness, state), the training mode (synchronous or asynchronous),
 * the bits of the weights sent to devices (with the bytes they took), the combining rule (mean,
 * median or trimmed mean), and the loss against time with the moments members joined, left or
 * were rejected, and the mode changed. Without a
 * room server the panel says how to start one, and training runs on the local workers alone.
 * Disposing it ends the workers, leaves the room and stops training.
 */
import "./room.css";
import type { Combine } from "../ml/distributed/aggregate.ts";
import type { SpawnedMember } from "../ml/distributed/cluster.ts";
import type { Mode, TrainingConfig } from "../ml/distributed/coordinator.ts";
import { drawLossWithEvents } from "./loss-marks.ts";
import { mountRoomPanel, type RoomPanel } from "./room-panel.ts";
import { RoomTraining, type ClusterRow, type WeightTraffic } from "./room-training.ts";
import type { RosterEntry } from "./roster.ts";
import type { WeightBits } from "./weights.ts";
import type { PresenterRoom } from "./ws-link.ts";

const SVG = "http://www.w3.org/2000/svg";

export interface ClusterDemoOptions {
  local: number;
  spawnLocal: (rank: number) => SpawnedMember;
  examples: number;
  devices?: number;
  config?: Partial<TrainingConfig>;
  /** the weights sent to devices: 16 bits by default */
  weightBits?: WeightBits;
  /** the gradients devices send: the weights' bits by default */
  gradientBits?: WeightBits;
  /** a page served by the room server; `location.href` by default */
  page?: string;
  qrSize?: string;
}

export interface ClusterSnapshot {
  room: boolean | undefined;
  step: number;
  examples: number;
  history: { step: number; time: number; loss: number; staleness: number }[];
  events: { time: number; kind: string; label: string }[];
  rows: ClusterRow[];
  roster: RosterEntry[];
  paramsFinite: boolean;
  combine: Combine;
  mode: Mode;
  weights: WeightTraffic;
  /** the devices' step round trips through the room, ms (RoomTraining.roundTrips) */
  roundTrips: number[];
}

const MODE_LABELS: Record<Mode, string> = {
  sync: "synchronously (a barrier each step)",
  async: "asynchronously (no barrier, stale gradients)",
};

const WEIGHT_LABELS: Record<WeightBits, string> = {
  32: "float32",
  16: "16 bits (affine)",
};

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

function choice<T extends string | number>(
  className: string,
  caption: string,
  labels: Record<T, string>,
): { label: HTMLLabelElement; select: HTMLSelectElement } {
  const label = document.createElement("label");
  label.textContent = caption;
  const select = document.createElement("select");
  select.className = className;
  for (const [value, text] of Object.entries(labels)) select.add(new Option(text as string, value));
  label.append(select);
  return { label, select };
}

const COMBINE_LABELS: Record<Combine, string> = {
  mean: "mean (plain averaging)",
  median: "median per weight",
  trimmed: "trimmed mean",
};

function td(row: HTMLTableRowElement, text: string): void {
  row.insertCell().textContent = text;
}

export class ClusterDemo {
  readonly element: HTMLElement;
  readonly training: RoomTraining;
  readonly panel: RoomPanel;
  /** true once a room server took this page, false without one */
  readonly room: Promise<boolean>;
  #roomOpen: boolean | undefined;
  #roster: RosterEntry[] = [];
  #controller = new AbortController();
  #running: Promise<void>;
  #suspended = false;
  readonly #status: HTMLElement;
  readonly #traffic: HTMLElement;
  readonly #body: HTMLTableSectionElement;
  readonly #chart: SVGSVGElement;
  readonly #legend: HTMLElement;
  #disposed = false;

  constructor(options: ClusterDemoOptions) {
    this.element = document.createElement("div");
    this.element.className = "fd-cluster";
    const panelHost = document.createElement("div");
    const controls = document.createElement("div");
    controls.className = "fd-cluster-controls";
    const mode = choice("fd-cluster-mode", "Train ", MODE_LABELS);
    const weights = choice(
      "fd-cluster-weights",
      "Devices' weights and gradients in ",
      WEIGHT_LABELS,
    );
    const combine = choice("fd-cluster-combine", "Combine gradients by ", COMBINE_LABELS);
    this.#status = document.createElement("p");
    this.#status.className = "fd-cluster-status";
    this.#status.setAttribute("aria-live", "polite");
    // Steps, rates, bytes and the loss curve grow with time on this machine: the gallery leaves them out.
    this.#status.dataset.measured = "";
    this.#traffic = document.createElement("p");
    this.#traffic.className = "fd-cluster-traffic";
    this.#traffic.dataset.measured = "";
    controls.append(mode.label, weights.label, combine.label, this.#status, this.#traffic);

    const table = document.createElement("table");
    table.className = "fd-roster fd-cluster-members";
    table.createCaption().textContent = "Training members";
    const head = table.createTHead().insertRow();
    for (const title of [
      "",
      "member",
      "kind",
      "backend",
      "examples/s",
      "steps",
      "stale",
      "state",
    ]) {
      const th = document.createElement("th");
      th.textContent = title;
      head.append(th);
    }
    this.#body = table.createTBody();
    this.#body.dataset.measured = "";

    this.#chart = document.createElementNS(SVG, "svg");
    this.#chart.setAttribute("viewBox", "0 0 600 200");
    this.#chart.setAttribute("role", "img");
    this.#chart.setAttribute(
      "aria-label",
      "training loss against seconds, with joins and departures",
    );
    this.#chart.classList.add("fd-cluster-chart");
    this.#chart.dataset.measured = "";
    this.#legend = document.createElement("p");
    this.#legend.className = "fd-cluster-legend";
    this.#legend.textContent =
      "loss (0 to 2.5) against seconds · green: joined · red: left · orange: rejected · blue: mode changed";
    // the table scrolls in a box of its own on a slide: a room of phones must not push it off
    const members = document.createElement("div");
    members.className = "fd-cluster-members-box";
    members.append(table);
    this.element.append(panelHost, controls, members, this.#chart, this.#legend);

    this.training = new RoomTraining({
      local: options.local,
      spawnLocal: options.spawnLocal,
      devices: options.devices,
      examples: options.examples,
      config: options.config,
      weightBits: options.weightBits,
      gradientBits: options.gradientBits,
    });
    const t = this.training;
    mode.select.value = t.mode;
    mode.select.addEventListener("change", () => t.setMode(mode.select.value as Mode));
    weights.select.value = String(t.weightTraffic.bits);
    // one choice for both directions: the slide's lesson is the bytes, not mixing precisions
    weights.select.addEventListener("change", () => {
      const bits = Number(weights.select.value) as WeightBits;
      t.setWeightBits(bits);
      t.setGradientBits(bits);
    });
    combine.select.value = t.coordinator.config.combine ?? "mean";
    combine.select.addEventListener("change", () => t.setCombine(combine.select.value as Combine));
    this.panel = mountRoomPanel(panelHost, { page: options.page, qrSize: options.qrSize });
    this.room = this.panel.room.then((room: PresenterRoom | undefined) => {
      this.#roomOpen = room !== undefined;
      if (room && !this.#disposed) {
        this.training.useRoom(room);
        room.onRoster((entries) => (this.#roster = entries));
      }
      return this.#roomOpen;
    });
    this.#running = this.training.run(this.#controller.signal);
  }

  /** Redraws and returns the element (a cell yields it a few times a second). */
  frame(): HTMLElement {
    const t = this.training;
    const last = t.history.at(-1);
    const rows = t.rows();
    const training = rows.filter((r) => r.state === "training").length;
    const recent = t.history.slice(-50);
    const stale =
      t.mode === "async" && recent.length > 0
        ? ` · staleness ${(recent.reduce((s, r) => s + r.staleness, 0) / recent.length).toFixed(1)} on average`
        : "";
    this.#status.textContent = last
      ? `step ${last.step} · loss ${last.loss.toPrecision(3)} · ${training} member${training === 1 ? "" : "s"} training · ${t.coordinator.examples.toLocaleString("en")} examples${stale}`
      : "starting the workers…";
    const w = t.weightTraffic;
    this.#traffic.textContent =
      w.steps === 0
        ? `devices get weights in ${WEIGHT_LABELS[w.bits]}, send gradients in ${WEIGHT_LABELS[w.gradientBits]}; none yet`
        : `a device's step: ${kB(w.lastBytes)} down, ${kB(w.lastGradientBytes)} up (float32: ${kB(w.lastFloatBytes)} each) · ${((w.bytes + w.gradientBytes) / 1e6).toFixed(1)} MB in ${w.steps} steps`;
    this.#body.replaceChildren();
    for (const r of rows) {
      const row = this.#body.insertRow();
      row.dataset.rank = String(r.rank);
      row.dataset.state = r.state;
      if (r.memberId !== null) row.dataset.member = String(r.memberId);
      td(row, r.memberId === null ? `w${r.rank}` : `#${r.memberId}`);
      td(row, r.who);
      td(row, r.kind);
      td(row, r.backend);
      td(row, r.speed.toFixed(0));
      // a member sent several batches a step (its round trip is slow) says how many
      td(row, r.batches > 1 ? `${r.steps} (×${r.batches})` : String(r.steps));
      td(row, String(r.staleness));
      td(row, r.problem ? `${r.state}: ${r.problem.replace(/^rejected: /, "")}` : r.state);
    }
    drawLossWithEvents(this.#chart, t.history, t.events);
    return this.element;
  }

  snapshot(): ClusterSnapshot {
    const t = this.training;
    return {
      room: this.#roomOpen,
      step: t.coordinator.step,
      examples: t.coordinator.examples,
      history: t.history.map(({ step, time, loss, staleness }) => ({
        step,
        time,
        loss,
        staleness,
      })),
      events: t.events.map(({ time, kind, label }) => ({ time, kind, label })),
      rows: t.rows(),
      roster: this.#roster,
      paramsFinite: t.params.every(Number.isFinite),
      combine: t.coordinator.config.combine ?? "mean",
      mode: t.mode,
      weights: t.weightTraffic,
      roundTrips: [...t.roundTrips],
    };
  }

  /**
   * Off screen (the engine calls this a moment after the slide is left): training stops and
   * this browser's workers end; the devices stay in the room, idle. `resume()` carries on.
   */
  suspend(): void {
    if (this.#suspended || this.#disposed) return;
    this.#suspended = true;
    this.#controller.abort();
    this.training.stopLocal();
  }

  resume(): void {
    if (!this.#suspended || this.#disposed) return;
    this.#suspended = false;
    this.training.startLocal();
    const controller = (this.#controller = new AbortController());
    this.#running = this.#running
      .catch(() => undefined)
      .then(() => (controller.signal.aborted ? undefined : this.training.run(controller.signal)));
  }

  /**
   * Ends a run made for paper: training stops and this browser's workers end (as off screen),
   * and the frame returned says how far it went. A slide that trained on while the printed deck
   * is made would share the cores with every timing printed after it.
   */
  finish(): HTMLElement {
    this.suspend();
    const element = this.frame();
    const last = this.training.history.at(-1);
    if (last) {
      this.#status.textContent = `${last.step} steps done, stopped · loss ${last.loss.toPrecision(3)} · ${this.training.coordinator.examples.toLocaleString("en")} examples`;
    }
    return element;
  }

  /** Stops training and ends the workers and the room connection. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#controller.abort();
    this.training.dispose();
    this.panel.destroy();
    await this.#running;
  }
}
