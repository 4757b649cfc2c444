/**
 * The data-parallel demo: settings, per-worker controls (straggler factor, kill, restart), the
 * live timeline, the traffic, and the loss of every run against time and against steps. Each
 * change of settings starts a new run from the same initial weights; earlier runs stay on the
 * charts. The engine suspends it a moment after its slide is left (the workers terminated, the
 * run checkpointed) and resumes it when the slide is shown again; dispose does the same for good,
 * and a new demo on the same RunLog resumes the run.
 */
import {
  Cluster,
  type CheckpointStore,
  type ClusterOptions,
  type SpawnedMember,
  type TrainingCluster,
} from "../../ml/distributed/cluster.ts";
import {
  DEFAULT_CONFIG,
  type StepRecord,
  type TrainingConfig,
} from "../../ml/distributed/coordinator.ts";
import { ringTraffic, parameterServerTraffic } from "../../ml/distributed/aggregate.ts";
import { parameterCount } from "../../ml/distributed/mlp.ts";
import { formatBytes } from "../format.ts";
import { COLORS, RUN_COLORS } from "./canvas.ts";
import { configControls, describeConfig } from "./controls.ts";
import { LossChart, smoothed } from "./loss-chart.ts";
import "./distributed.css";
import { TIMELINE_ROW, Timeline } from "./timeline.ts";

export interface Run {
  id: number;
  key: string;
  config: TrainingConfig;
  label: string;
  color: string;
  history: StepRecord[];
}

/** The runs of a page, kept across the demo's lives (leaving the slide and coming back). */
export class RunLog {
  readonly runs: Run[] = [];
  /** was training when the demo was last left */
  training = false;
  #next = 1;

  add(config: TrainingConfig): Run {
    const id = this.#next++;
    const run: Run = {
      id,
      key: `run-${id}`,
      config: { ...config },
      label: `${id}: ${describeConfig(config)}`,
      color: RUN_COLORS[(id - 1) % RUN_COLORS.length]!,
      history: [],
    };
    this.runs.push(run);
    return run;
  }

  /**
   * The run a checkpoint was saved for, under its old key, so that its Cluster resumes from that
   * checkpoint (after a reload, the log starts empty); later runs are numbered after it.
   */
  resume(key: string, config: TrainingConfig, training: boolean): Run {
    const id = Number(/^run-(\d+)$/.exec(key)?.[1] ?? this.#next);
    this.#next = Math.max(this.#next, id + 1);
    const run: Run = {
      id,
      key,
      config: { ...config },
      label: `${id}: ${describeConfig(config)} (resumed)`,
      color: RUN_COLORS[(id - 1) % RUN_COLORS.length]!,
      history: [],
    };
    this.runs.push(run);
    this.training = training;
    return run;
  }

  get current(): Run | undefined {
    return this.runs.at(-1);
  }

  clear(store: CheckpointStore): void {
    for (const run of this.runs.splice(0, this.runs.length - 1)) store.delete(run.key);
  }
}

export interface DemoOptions {
  width: number;
  spawn: (rank: number) => SpawnedMember;
  examples: number;
  store: CheckpointStore;
  log: RunLog;
  /** workers in a first run */
  defaultWorkers: number;
  /** where a run's coordinator runs: in the page (Cluster) unless said */
  cluster?: (options: ClusterOptions) => TrainingCluster;
}

const STRAGGLER = [1, 2, 4, 8];
/** the loss charts' height on a slide: with two workers, the demo then ends above the slide's foot */
const CHART_MAX_HEIGHT = 240;
/** the width the per-worker controls beside the timeline take, the gap included */
const WORKER_PANEL = 270;

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.onclick = onClick;
  return b;
}

export class DistributedDemo {
  readonly element = document.createElement("div");
  readonly #options: DemoOptions;
  readonly #controls;
  readonly #status = document.createElement("div");
  readonly #traffic = document.createElement("div");
  /** where checkpoints fell back to memory, why */
  readonly #storeNote = document.createElement("div");
  readonly #workerPanel = document.createElement("div");
  readonly #legend = document.createElement("div");
  readonly #timeByTime: LossChart;
  readonly #timeBySteps: LossChart;
  readonly #train = button("Train", () => this.toggle());
  #timeline: Timeline | undefined;
  #cluster: TrainingCluster | undefined;
  #run: Run;
  #disposed = false;
  /** suspended while training: resuming starts the workers again */
  #suspended = false;

  constructor(options: DemoOptions) {
    this.#options = options;
    const { log, width } = options;
    this.#run = log.current ?? log.add({ ...DEFAULT_CONFIG, workers: options.defaultWorkers });
    Object.assign(this.element.style, {
      font: "18px sans-serif",
      display: "grid",
      gap: "8px",
      width: `${width}px`,
      textAlign: "left",
    });
    this.element.className = "fd-distributed";
    this.#controls = configControls(this.#run.config);
    this.#controls.onChange(() => this.newRun(this.#controls.read()));
    // Half the slot each; on a slide's full width, no taller than the slide leaves under the
    // controls and the timeline, so that the engine need not scale the demo (and its text) down.
    const chartWidth = Math.floor((width - 12) / 2);
    const chartHeight = Math.max(140, Math.min(CHART_MAX_HEIGHT, Math.round(chartWidth * 0.5)));
    this.#timeByTime = new LossChart(chartWidth, chartHeight, "seconds of training");
    this.#timeBySteps = new LossChart(chartWidth, chartHeight, "steps (updates applied)");
    const charts = document.createElement("div");
    Object.assign(charts.style, { display: "flex", gap: "12px" });
    charts.append(this.#timeByTime.element, this.#timeBySteps.element);
    // This machine's run (the printed deck trains for a few seconds): left out of the gallery.
    charts.dataset.measured = "";
    const top = document.createElement("div");
    Object.assign(top.style, {
      display: "flex",
      gap: "10px",
      alignItems: "center",
      flexWrap: "wrap",
    });
    const clear = button("Clear old runs", () => {
      log.clear(options.store);
      this.#drawLegend();
    });
    top.append(this.#train, clear, this.#status);
    this.#status.dataset.distributedStatus = "";
    this.#status.dataset.measured = "";
    Object.assign(this.#legend.style, {
      display: "flex",
      flexWrap: "wrap",
      gap: "2px 14px",
    });
    const middle = document.createElement("div");
    Object.assign(middle.style, { display: "flex", gap: "8px", alignItems: "flex-start" });
    middle.append(this.#workerPanel);
    middle.dataset.measured = "";
    this.#storeNote.dataset.checkpointProblem = "";
    Object.assign(this.#storeNote.style, { color: COLORS.dead });
    this.element.append(
      this.#controls.element,
      top,
      this.#storeNote,
      middle,
      this.#traffic,
      charts,
      this.#legend,
    );
    this.#middle = middle;
    this.#start(log.training);
  }

  readonly #middle: HTMLElement;

  get cluster(): TrainingCluster | undefined {
    return this.#cluster;
  }

  get training(): boolean {
    return this.#cluster !== undefined;
  }

  toggle(): void {
    if (this.#cluster) this.#stop();
    else this.#start(true);
  }

  /** A new run with these settings, from the initial weights; it starts training. */
  newRun(config: TrainingConfig): void {
    this.#stop();
    this.#run = this.#options.log.add(config);
    this.#controls.set(config);
    this.#start(true);
  }

  #start(train: boolean): void {
    const run = this.#run;
    const workers = run.config.workers;
    this.#timeline = new Timeline(Math.max(300, this.#options.width - WORKER_PANEL), workers);
    this.#middle.replaceChildren(this.#timeline.element, this.#workerPanel);
    this.#options.log.training = train;
    this.#train.textContent = train ? "Pause" : "Train";
    this.#buildWorkerPanel(workers);
    this.#drawLegend();
    if (!train) return;
    const make = this.#options.cluster ?? ((o: ClusterOptions) => new Cluster(o));
    const cluster = make({
      config: run.config,
      examples: this.#options.examples,
      spawn: this.#options.spawn,
      store: this.#options.store,
      key: run.key,
      history: run.history,
    });
    this.#cluster = cluster;
    void cluster.run().catch((error: unknown) => {
      this.#status.textContent = `training stopped: ${error instanceof Error ? error.message : String(error)}`;
    });
  }

  #stop(): void {
    this.#cluster?.dispose();
    this.#cluster = undefined;
    this.#options.log.training = false;
    this.#train.textContent = "Train";
  }

  #buildWorkerPanel(workers: number): void {
    const rows = Array.from({ length: workers }, (_, rank) => {
      const row = document.createElement("div");
      Object.assign(row.style, {
        display: "flex",
        gap: "4px",
        height: `${TIMELINE_ROW}px`,
        alignItems: "center",
      });
      const slow = document.createElement("select");
      slow.title = `worker ${rank}: slow it down`;
      for (const f of STRAGGLER)
        slow.append(new Option(`${f}× slower`.replace("1× slower", "normal"), String(f)));
      slow.value = String(this.#cluster?.slowdown(rank) ?? 1);
      slow.onchange = () => this.#cluster?.setSlowdown(rank, Number(slow.value));
      const kill = button("kill", () => this.#cluster?.kill(rank));
      kill.dataset.kill = String(rank);
      const restart = button("restart", () => this.#cluster?.restart(rank));
      restart.dataset.restart = String(rank);
      row.append(slow, kill, restart);
      return row;
    });
    this.#workerPanel.replaceChildren(...rows);
    Object.assign(this.#workerPanel.style, { display: "grid", gap: "0", paddingTop: "0" });
  }

  #drawLegend(): void {
    this.#legend.replaceChildren(
      ...this.#options.log.runs.map((run) => {
        const item = document.createElement("span");
        const swatch = document.createElement("span");
        Object.assign(swatch.style, {
          display: "inline-block",
          width: "14px",
          height: "4px",
          background: run.color,
          margin: "0 5px 3px 0",
        });
        item.append(swatch, run.label);
        if (run === this.#run) item.style.fontWeight = "bold";
        return item;
      }),
    );
  }

  /** Redraws what changed; cheap enough for several times a second. */
  draw(): void {
    const cluster = this.#cluster;
    const runs = this.#options.log.runs;
    // While training, drawing competes with the workers for the same cores: every frame the
    // page changes costs its compositor too (on an emulated GPU, ~25 ms of a core a frame, 0.2
    // of a core at the cell's 7 frames a second). So the status and the timeline at most every
    // 300 ms, the loss charts (a curve moves little in a second) every 1 s.
    const at = performance.now();
    if (!cluster || at - this.#chartsDrawn >= 1000) {
      this.#chartsDrawn = at;
      this.#drawCharts(runs);
    }
    if (!cluster || at - this.#statusDrawn >= 300) {
      this.#statusDrawn = at;
      this.#drawStatus(cluster);
    }
  }

  #chartsDrawn = -Infinity;
  #statusDrawn = -Infinity;

  #drawCharts(runs: readonly Run[]): void {
    this.#timeByTime.draw(
      runs.map((r) => ({
        color: r.color,
        label: r.label,
        points: smoothed(
          r.history,
          (h) => h.time,
          (h) => h.loss,
        ),
      })),
    );
    this.#timeBySteps.draw(
      runs.map((r) => ({
        color: r.color,
        label: r.label,
        points: smoothed(
          r.history,
          (h) => h.step,
          (h) => h.loss,
        ),
      })),
    );
  }

  /**
   * Ends a run of fixed length (the printed deck's): draws it once more as it stands, the
   * timeline of its last seconds included, with a status that says what was run, then stops
   * the workers. Returns the element, for the cell's last value.
   */
  finish(): HTMLElement {
    const cluster = this.#cluster;
    const steps = this.#run.history.at(-1)?.step ?? 0;
    this.#drawCharts(this.#options.log.runs);
    this.#drawStatus(cluster, `${steps.toLocaleString("en")} steps done, stopped`);
    this.#stop();
    this.#status.dataset.running = "false";
    return this.element;
  }

  /** `ended`: the run is over, and this says what it did (in place of "training", "step N"). */
  #drawStatus(cluster: TrainingCluster | undefined, ended?: string): void {
    const history = this.#run.history;
    const last = history.at(-1);
    const rate = examplesPerSecond(history);
    const members = cluster?.coordinator.members ?? [];
    const backends = [...new Set(members.map((m) => m.backend).filter(Boolean))].join(", ");
    const stale = history.slice(-50).map((h) => h.staleness);
    const config = this.#run.config;
    // sync under "wait": the ranks it will not step without (killed, or silent past the timeout)
    const awaited =
      cluster && !ended && config.mode === "sync" && config.onTimeout === "wait"
        ? Array.from({ length: config.workers }, (_, r) => r).filter(
            (r) => !cluster.isAlive(r) || members.find((m) => m.rank === r)?.phase === "timed out",
          )
        : [];
    this.#status.textContent = [
      ended ??
        (!cluster
          ? "paused"
          : awaited.length
            ? `waiting for worker ${awaited.join(", ")} (restart it)`
            : "training"),
      ended ? "" : `step ${last?.step ?? 0}`,
      last ? `loss ${last.loss.toFixed(3)}` : "",
      rate ? `${Math.round(rate).toLocaleString("en")} examples/s` : "",
      config.mode === "async" && stale.length
        ? `staleness ${(stale.reduce((a, b) => a + b, 0) / stale.length).toFixed(1)}`
        : "",
      backends ? `backend: ${backends}` : "",
      cluster && cluster.coordinator.discarded
        ? `${cluster.coordinator.discarded} gradients dropped`
        : "",
    ]
      .filter(Boolean)
      .join(" · ");
    Object.assign(this.#status.dataset, {
      step: String(last?.step ?? 0),
      loss: String(last?.loss ?? NaN),
      examples: String(last?.examples ?? 0),
      rate: String(rate),
      running: String(!!cluster),
      run: String(this.#run.id),
      workers: String(members.filter((m) => m.phase === "ready").length),
      // ms per step computing, communicating and waiting (the bench reports where time goes)
      breakdown: cluster ? JSON.stringify(cluster.coordinator.breakdown()) : "",
    });
    const problem = this.#options.store.problem ?? "";
    if (this.#storeNote.textContent !== problem) this.#storeNote.textContent = problem;
    const values = parameterCount();
    const traffic = cluster?.coordinator.traffic.sentPerWorker
      ? cluster.coordinator.traffic
      : config.mode === "sync" && config.aggregation === "ring"
        ? ringTraffic(config.workers, values, config.bits)
        : parameterServerTraffic(config.workers, values, config.bits);
    const ring = config.mode === "sync" && config.aggregation === "ring";
    this.#traffic.textContent =
      `${values.toLocaleString("en")} weights · on the wire per step: each worker sends ${formatBytes(traffic.sentPerWorker)} and receives ${formatBytes(traffic.receivedPerWorker)}; ` +
      (ring
        ? `no node carries more (ring: 2(N−1)/N of a gradient each way)`
        : `the parameter server carries ${formatBytes(traffic.busiestNode)} (N gradients in, N models out)`);
    if (this.#timeline) {
      const labels = Array.from({ length: config.workers }, (_, r) => {
        const m = members.find((x) => x.rank === r);
        const alive = cluster?.isAlive(r);
        return `${r}: ${!cluster ? "–" : !alive ? "killed" : m?.phase === "ready" ? `${m.steps}` : (m?.phase ?? "")}`;
      });
      const dead = labels.map(
        (_, r) => !!cluster && (!cluster.isAlive(r) || members[r]?.phase !== "ready"),
      );
      this.#timeline.draw(cluster?.coordinator.activity ?? [], performance.now(), labels, dead);
    }
  }

  /** Draws and returns the element: a cell yields this a few times a second. */
  frame(): HTMLElement {
    this.draw();
    return this.element;
  }

  /** Off screen: the workers end and the run is checkpointed; `resume()` picks it up. */
  suspend(): void {
    if (!this.#cluster || this.#disposed) return;
    this.#stop();
    this.#options.log.training = true;
    this.#suspended = true;
  }

  resume(): void {
    if (!this.#suspended || this.#disposed) return;
    this.#suspended = false;
    this.#start(true);
  }

  dispose(): void {
    if (this.#disposed) return;
    const training = this.#options.log.training;
    this.#disposed = true;
    this.#stop();
    this.#options.log.training = training; // coming back resumes as it was
  }
}

/** Examples per second over the last few seconds of a run's history. */
export function examplesPerSecond(history: readonly StepRecord[], window = 3): number {
  const last = history.at(-1);
  if (!last) return 0;
  let i = history.length - 1;
  while (i > 0 && last.time - history[i - 1]!.time < window) i--;
  const first = history[i]!;
  const dt = last.time - first.time;
  return dt > 0.2 ? (last.examples - first.examples) / dt : 0;
}

export { COLORS };
