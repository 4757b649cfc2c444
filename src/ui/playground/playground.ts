/**
 * The playground widget: controls, the network picture, the loss chart and the heat map, wired
 * to a training worker. The page only draws: its own animation-frame loop (running between
 * `whileShown()` and its `suspend()`, and only while the widget is on screen) calls `tick()`,
 * which draws the newest snapshot, if one came, and asks the worker for the next. No cell runs
 * per frame: the Observable runtime does no work while it trains. When the ticks stop (the
 * slide was left, scrolled away), the worker stops training shortly after.
 */
import {
  LIMITS,
  decodeState,
  defaultState,
  encodeState,
  withProblem,
  type PlaygroundState,
  type StateProblem,
} from "../../ml/playground/config.ts";
import { TrainingClient } from "../../ml/playground/client.ts";
import type { TrainerCheckpoint } from "../../ml/playground/js-trainer.ts";
import {
  DATASETS,
  generateDataset,
  type DatasetId,
  type Point,
} from "../../ml/playground/datasets.ts";
import { FEATURE_IDS, type FeatureId } from "../../ml/playground/features.ts";
import {
  WORKER_BACKENDS,
  type Snapshot,
  type WorkerBackend,
} from "../../ml/playground/protocol.ts";
import { changedKeys, classifyChange } from "../../ml/playground/state-diff.ts";
import { pointsFor } from "../../ml/playground/trainer.ts";
import { colorOf } from "./colors.ts";
import { checkbox, dataPanel, topBar, type Control } from "./controls.ts";
import { GridCanvas, PointsLayer, toPixel } from "./heatmap.ts";
import { LossChart } from "./loss-chart.ts";
import { LossHistory } from "./loss-history.ts";
import { NetworkView } from "./network-view.ts";
import "./playground.css";
import { GRID_SIZE, THUMB_SIZE } from "./sizes.ts";

/** the query parameter that holds the state */
export const URL_PARAM = "pg";
const HEAT_PX = 260;
/** the widget's own width; narrower places scale it down (`fit`) */
export const WIDGET_WIDTH = 1160;

const icon = (path: string) =>
  `<svg viewBox="0 0 24 24" width="60%" height="60%" aria-hidden="true"><path fill="currentColor" d="${path}"/></svg>`;
const ICONS = {
  play: icon("M8 5v14l11-7z"),
  pause: icon("M6 5h4v14H6zM14 5h4v14h-4z"),
  step: icon("M6 5v14l9-7zM16 5h3v14h-3z"),
  reset: icon("M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z"),
};

export interface PlaygroundOptions {
  /** read the state from, and write it to, the page's URL (`?pg=…`) */
  url?: boolean;
  /** the state as `encodeState` text, when not read from the URL */
  initial?: string;
  /** the worker's TensorFlow.js backend */
  backend?: WorkerBackend;
}

/** Reads the state from a page URL's `pg` parameter. */
export function stateFromUrl(href: string): { state: PlaygroundState; problems: StateProblem[] } {
  const text = new URL(href).searchParams.get(URL_PARAM);
  return text === null ? { state: defaultState(), problems: [] } : decodeState(text);
}

/** The page URL with the state in its `pg` parameter (removed for the default state). */
export function urlWithState(href: string, state: PlaygroundState): string {
  const url = new URL(href);
  const text = encodeState(state);
  if (text === "") url.searchParams.delete(URL_PARAM);
  else url.searchParams.set(URL_PARAM, text);
  return url.href;
}

/**
 * The worker's backend unless the page asks for another (`?pgbackend=cpu`, for comparisons):
 * the reference network in plain TypeScript, about ten times TensorFlow.js's epochs per second
 * for a network this small (TensorFlow.js pays a fixed cost per op, the network has ~30 weights).
 */
export const DEFAULT_BACKEND: WorkerBackend = "js";
function backendFromUrl(useUrl: boolean): WorkerBackend | undefined {
  if (!useUrl) return undefined;
  const asked = new URL(location.href).searchParams.get("pgbackend");
  return WORKER_BACKENDS.find((b) => b === asked);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function datasetThumbnail(id: DatasetId): HTMLCanvasElement {
  const size = 56;
  const canvas = document.createElement("canvas");
  canvas.width = size * 2;
  canvas.height = size * 2;
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const ctx = canvas.getContext("2d");
  if (ctx) {
    ctx.scale(2, 2);
    const points = generateDataset(id, { numPoints: 200, seed: "preview" });
    for (const p of points) {
      const [r, g, b] = colorOf(p.label);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(toPixel(p.x, size) - 1, toPixel(p.y, size, true) - 1, 2, 2);
    }
  }
  return canvas;
}

const architectureKey = (s: Pick<PlaygroundState, "features" | "hiddenLayers">) =>
  `${s.features.join(",")}|${s.hiddenLayers.join(",")}`;

function newSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join("");
}

export class Playground {
  readonly element: HTMLElement;
  #state: PlaygroundState;
  #client: TrainingClient;
  readonly #backend: WorkerBackend;
  /** set while suspended: resolves to where the run was when its worker ended */
  #suspended: Promise<{ state: PlaygroundState; from: TrainerCheckpoint | undefined }> | undefined;
  readonly #history = new LossHistory();
  readonly #listeners = new Set<(state: PlaygroundState) => void>();
  readonly #controls: Control[];
  readonly #network: NetworkView;
  readonly #heat = new GridCanvas(GRID_SIZE, HEAT_PX, "pg-heat");
  readonly #points = new PointsLayer(HEAT_PX);
  readonly #chart = new LossChart(HEAT_PX, 64);
  readonly #useUrl: boolean;
  #data: { train: Point[]; test: Point[] };
  #playing = false;
  #last: Snapshot | undefined;
  #destroyed = false;
  /** the pending animation frame of the drawing loop, while it runs */
  #frame: number | undefined;
  /** on screen (an IntersectionObserver says so); only then does the loop draw and pull */
  #onScreen = typeof IntersectionObserver === "undefined";
  #observer: IntersectionObserver | undefined;
  /** what the text fields show now: written only when it changes (each write costs a layout) */
  readonly #shownText = new Map<HTMLElement, string>();
  readonly #ui: {
    play: HTMLButtonElement;
    epoch: HTMLElement;
    trainLoss: HTMLElement;
    testLoss: HTMLElement;
    notice: HTMLElement;
    hardware: HTMLElement;
    speed: HTMLElement;
    printed: HTMLElement;
  };

  constructor(options: PlaygroundOptions = {}) {
    this.#useUrl = !!options.url;
    const from =
      options.initial !== undefined
        ? decodeState(options.initial)
        : this.#useUrl
          ? stateFromUrl(location.href)
          : { state: defaultState(), problems: [] };
    this.#state = from.state;
    this.#data = pointsFor(this.#state);

    const root = el("div", "pg");
    this.element = root;
    const change = (c: Partial<PlaygroundState>) => this.set(c);

    // top bar: reset, play/pause, step, epoch, then the hyperparameters
    const bar = el("div", "pg-topbar");
    const buttons = el("div", "pg-buttons");
    const reset = el("button", "pg-round pg-reset");
    reset.innerHTML = ICONS.reset;
    reset.dataset.action = "reset";
    reset.title = "reset the network";
    reset.addEventListener("click", () => this.reset());
    const play = el("button", "pg-round pg-play");
    play.innerHTML = ICONS.play;
    play.dataset.action = "play";
    play.title = "run / pause";
    play.addEventListener("click", () => (this.#playing ? this.pause() : this.play()));
    const step = el("button", "pg-round pg-step");
    step.innerHTML = ICONS.step;
    step.dataset.action = "step";
    step.title = "one epoch";
    step.addEventListener("click", () => this.step());
    for (const b of [reset, play, step]) b.type = "button";
    buttons.append(reset, play, step);
    const epochBox = el("div", "pg-epoch");
    const epoch = el("span", "pg-epoch-value", "000,000");
    epochBox.append(el("span", "pg-field-label", "Epoch"), epoch);
    const top = topBar(change);
    bar.append(buttons, epochBox, top.element);

    const notice = el("div", "pg-notice");
    notice.hidden = true;
    notice.setAttribute("role", "status");

    // left: data; middle: network; right: output
    const data = dataPanel(change, () => this.regenerate(), datasetThumbnail);
    this.#network = new NetworkView(
      { width: 520, height: 430, node: 34, pitch: 50, top: 54 },
      THUMB_SIZE,
      GRID_SIZE,
      {
        toggleFeature: (id) => this.#toggleFeature(id),
        addLayer: () => this.#layers((h) => (h.length < LIMITS.layers.max ? [...h, 2] : h)),
        removeLayer: () => this.#layers((h) => h.slice(0, -1)),
        addNeuron: (l) =>
          this.#layers((h) => h.map((n, i) => (i === l ? Math.min(LIMITS.neurons.max, n + 1) : n))),
        removeNeuron: (l) =>
          this.#layers((h) => h.map((n, i) => (i === l ? Math.max(LIMITS.neurons.min, n - 1) : n))),
      },
    );
    const middle = el("div", "pg-middle");
    middle.append(this.#network.element);

    const output = el("div", "pg-output");
    const losses = el("div", "pg-losses");
    const testLoss = el("span", "pg-loss-value", "–");
    testLoss.dataset.loss = "test";
    const trainLoss = el("span", "pg-loss-value", "–");
    trainLoss.dataset.loss = "train";
    const testLine = el("div", "pg-loss-line pg-test", "Test loss ");
    testLine.append(testLoss);
    const trainLine = el("div", "pg-loss-line pg-train", "Training loss ");
    trainLine.append(trainLoss);
    losses.append(testLine, trainLine);
    const stack = el("div", "pg-heat-stack");
    stack.style.width = `${HEAT_PX}px`;
    stack.style.height = `${HEAT_PX}px`;
    stack.append(this.#heat.element, this.#points.element);
    const toggles = el("div", "pg-toggles");
    const showTest = checkbox("showTestData", "Show test data", change);
    const discretize = checkbox("discretize", "Discretize output", change);
    toggles.append(showTest.element, discretize.element);
    const legend = el("div", "pg-legend");
    legend.innerHTML = `<span>−1</span><span class="pg-legend-bar"></span><span>+1</span>`;
    output.append(el("h3", "", "Output"), losses, this.#chart.element, stack, toggles, legend);

    const main = el("div", "pg-main");
    main.append(data.element, middle, output);

    const footer = el("div", "pg-footer");
    const hardware = el("span", "pg-hardware", "Training: starting a worker…");
    const speed = el("span", "pg-speed", "");
    const printed = el("span", "pg-printed", "");
    footer.append(hardware, speed, printed);

    root.append(bar, notice, main, footer);
    this.#controls = [top, data, showTest, discretize];
    this.#ui = { play, epoch, trainLoss, testLoss, notice, hardware, speed, printed };

    this.#backend = options.backend ?? backendFromUrl(this.#useUrl) ?? DEFAULT_BACKEND;
    this.#client = this.#startWorker();
    if (from.problems.length) {
      this.#notify(
        `Some settings in the link could not be used: ${from.problems.map((p) => `${p.key}=${p.value}: ${p.message}`).join("; ")}`,
      );
    }
    if (typeof IntersectionObserver !== "undefined") {
      this.#observer = new IntersectionObserver((entries) => {
        const last = entries[entries.length - 1];
        if (last) this.#onScreen = last.isIntersecting;
      });
      this.#observer.observe(root);
    }
    this.#render(true);
  }

  get state(): PlaygroundState {
    return this.#state;
  }

  get playing(): boolean {
    return this.#playing;
  }

  /** Calls `listener` with every new state (not the current one). */
  onState(listener: (state: PlaygroundState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves at the next change of state. */
  changed(): Promise<PlaygroundState> {
    return new Promise((resolve) => {
      const off = this.onState((state) => {
        off();
        resolve(state);
      });
    });
  }

  /** Changes some settings: applied live where the Playground does, else a fresh run. */
  set(change: Partial<PlaygroundState>): void {
    let next: PlaygroundState = { ...this.#state, ...change };
    if (change.problem && change.problem !== this.#state.problem)
      next = withProblem({ ...next, problem: this.#state.problem }, change.problem);
    if (change.dataset) next.problem = DATASETS[change.dataset].problem;
    // through the URL form: clamps and validates exactly as a link would be
    next = decodeState(encodeState(next, { full: true })).state;
    const kind = classifyChange(this.#state, next);
    if (kind === "none") return;
    const before = this.#state;
    this.#state = next;
    this.#client.setState(next);
    if (kind === "data") this.#data = pointsFor(next);
    this.#render(kind === "data" || changedKeys(before, next).includes("showTestData"));
    if (kind === "view" && this.#last) this.#drawPictures(this.#last);
    if (this.#useUrl) history.replaceState(history.state, "", urlWithState(location.href, next));
    for (const listener of [...this.#listeners]) listener(next);
  }

  play(): void {
    this.#playing = true;
    this.#client.play();
    this.#showPlaying();
  }

  pause(): void {
    this.#playing = false;
    this.#client.pause();
    this.#showPlaying();
  }

  step(): void {
    this.#playing = false;
    this.#client.step();
    this.#showPlaying();
  }

  reset(): void {
    this.#client.reset();
  }

  /**
   * For paper: trains exactly `epochs` epochs from the seeded start, as that many presses of
   * the step button would, and resolves once the widget has drawn the last of them (at most
   * `timeoutMs`). It pulls snapshots itself: a print view's page may never be on screen.
   */
  async trainEpochs(epochs: number, signal?: AbortSignal, timeoutMs = 60_000): Promise<number> {
    this.#playing = false;
    this.#showPlaying();
    for (let i = 0; i < epochs; i++) this.#client.step();
    const until = performance.now() + timeoutMs;
    while (!this.#destroyed && !signal?.aborted && performance.now() < until) {
      // each step is one epoch, so the run has reached `epochs` once a snapshot says so
      if ((this.#last?.epoch ?? 0) >= epochs && !this.#suspended) break;
      this.tick();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const reached = this.#last?.epoch ?? 0;
    this.#ui.printed.textContent = `Printed after ${reached.toLocaleString("en")} epochs of training from the seeded start`;
    return reached;
  }

  /** New points and new initial weights: a new seed (kept in the link). */
  regenerate(): void {
    this.set({ seed: newSeed() });
  }

  /** Scales the widget down to `available` CSS pixels when it is narrower than the widget. */
  fit(available: number): void {
    const zoom = Math.min(1, available / WIDGET_WIDTH);
    this.element.style.zoom = zoom < 1 ? zoom.toFixed(4) : "";
  }

  /** Draws what the worker sent since the last frame and asks for more. Returns the epoch. */
  tick(): number {
    if (this.#destroyed) return this.#last?.epoch ?? 0;
    const got = this.#client.take();
    if (got) {
      for (const batch of got.losses) this.#history.add(batch);
      this.#draw(got.snapshot, got.losses.length > 0);
    }
    this.#client.pull();
    return this.#last?.epoch ?? 0;
  }

  /**
   * For the cell that shows the widget: `own(pg.whileShown())`. The engine suspends what a cell
   * owns a moment after it stops being shown, and this ends the training worker, keeping where
   * the run was; shown again, a new worker carries on from there. (The Playground itself is
   * not suspendable: a cell that only reads its settings, shown elsewhere, needs no worker.)
   */
  whileShown(): { suspend(): void; resume(): void } {
    const resume = () => {
      this.#resumeWorker();
      this.#startLoop();
    };
    resume();
    return {
      suspend: () => {
        this.#stopLoop();
        this.#suspendWorker();
      },
      resume,
    };
  }

  /** Draws once per animation frame while on screen (frames stop by themselves in a hidden tab). */
  #startLoop(): void {
    if (this.#frame !== undefined || this.#destroyed) return;
    const frame = () => {
      this.#frame = requestAnimationFrame(frame);
      if (this.#onScreen && this.element.isConnected) this.tick();
    };
    this.#frame = requestAnimationFrame(frame);
  }

  #stopLoop(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
  }

  #suspendWorker(): void {
    if (this.#suspended || this.#destroyed) return;
    const client = this.#client;
    const state = this.#state;
    this.#suspended = client.checkpoint().then((from) => {
      client.terminate();
      return { state, from };
    });
    this.element.dataset.suspended = "true";
  }

  #resumeWorker(): void {
    const suspended = this.#suspended;
    if (!suspended || this.#destroyed) return;
    this.#suspended = undefined;
    void suspended.then(({ state, from }) => {
      if (this.#destroyed || this.#suspended) return;
      // a change of data or network while away starts a fresh run, as it would have
      const kind = classifyChange(state, this.#state);
      const run = (from?.run ?? this.#last?.run ?? 0) + 1;
      const keep = from && kind !== "data" && kind !== "network";
      this.#client = this.#startWorker(keep ? from : { run, epoch: 0 });
      if (this.#playing) this.#client.play();
      delete this.element.dataset.suspended;
    });
  }

  destroy(): void {
    this.#destroyed = true;
    this.#stopLoop();
    this.#observer?.disconnect();
    this.#client.terminate();
    this.#listeners.clear();
  }

  #startWorker(from?: TrainerCheckpoint): TrainingClient {
    const { hardware } = this.#ui;
    return new TrainingClient({
      state: this.#state,
      gridSize: GRID_SIZE,
      thumbSize: THUMB_SIZE,
      backend: this.#backend,
      ...(from && { from }),
      onReady: (backend) => {
        this.element.dataset.backend = backend;
        const trains =
          backend === "js"
            ? "the reference network in plain TypeScript"
            : `TensorFlow.js ${backend} backend`;
        hardware.textContent = `Training: ${trains} in a Web Worker · drawing: Canvas 2D on the page's main thread`;
      },
      onError: (message) => this.#notify(`Training failed: ${message}`, true),
    });
  }

  #layers(edit: (layers: number[]) => number[]): void {
    this.set({ hiddenLayers: edit([...this.#state.hiddenLayers]) });
  }

  #toggleFeature(id: FeatureId): void {
    const on = new Set(this.#state.features);
    if (on.has(id)) {
      if (on.size === 1) return this.#notify("The network needs at least one input.");
      on.delete(id);
    } else on.add(id);
    this.set({ features: FEATURE_IDS.filter((f) => on.has(f)) });
  }

  #notify(message: string, error = false): void {
    const n = this.#ui.notice;
    n.textContent = message;
    n.classList.toggle("pg-error", error);
    n.hidden = false;
    const close = el("button", "pg-notice-close", "×");
    close.type = "button";
    close.title = "dismiss";
    close.addEventListener("click", () => (n.hidden = true));
    n.append(close);
  }

  #showPlaying(): void {
    this.#ui.play.innerHTML = this.#playing ? ICONS.pause : ICONS.play;
    this.#ui.play.setAttribute("aria-label", this.#playing ? "pause" : "run");
    this.#ui.play.classList.toggle("pg-playing", this.#playing);
    this.element.dataset.playing = String(this.#playing);
  }

  /** Shows the state in the controls and the picture; `points` redraws the data points too. */
  #render(points: boolean): void {
    const s = this.#state;
    for (const c of this.#controls) c.sync(s);
    this.#network.build(s.features, s.hiddenLayers);
    if (points) this.#points.draw(this.#data.train, this.#data.test, s.showTestData);
    this.element.dataset.state = encodeState(s, { full: true });
    this.#showPlaying();
  }

  /** Draws a snapshot; `newLosses`: the chart has something new to show. */
  #draw(s: Snapshot, newLosses = true): void {
    const before = this.#last;
    this.#last = s;
    const root = this.element;
    root.dataset.epoch = String(s.epoch);
    root.dataset.run = String(s.run);
    root.dataset.trainLoss = String(s.trainLoss);
    root.dataset.testLoss = String(s.testLoss);
    this.#text(
      this.#ui.epoch,
      String(s.epoch)
        .padStart(6, "0")
        .replace(/(\d{3})$/, ",$1"),
    );
    this.#text(this.#ui.trainLoss, s.trainLoss.toFixed(3));
    this.#text(this.#ui.testLoss, s.testLoss.toFixed(3));
    this.#text(
      this.#ui.speed,
      s.epochsPerSecond > 0 ? `${Math.round(s.epochsPerSecond)} epochs/s` : "",
    );
    if (newLosses || before?.run !== s.run) this.#chart.draw(this.#history);
    // a snapshot of the same weights (paused, a view change answered) looks as the last did
    if (before && sameValues(before.weights, s.weights) && before.state === s.state) return;
    this.#drawPictures(s);
  }

  #text(element: HTMLElement, text: string): void {
    if (this.#shownText.get(element) === text) return;
    this.#shownText.set(element, text);
    element.textContent = text;
  }

  #drawPictures(s: Snapshot): void {
    const shown = decodeState(s.state).state;
    if (architectureKey(shown) !== architectureKey(this.#state)) return;
    const discretize = this.#state.discretize;
    this.#heat.paint(s.output, discretize);
    this.#network.update(s.weights, s.neurons, s.output, discretize);
  }
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function createPlayground(options: PlaygroundOptions = {}): Playground {
  return new Playground(options);
}
