/**
 * A small, always-visible badge saying what really computes: the TensorFlow.js backend, the
 * WebGL renderer (flagged when it is software, never passed off as a GPU) and live tensor memory.
 */
import type { BackendInfo, TensorFlowHost } from "../ml/backend.ts";
import { formatBytes } from "./format.ts";

const REFRESH_MS = 500;

export function describeBackend(info: BackendInfo): { label: string; detail: string } {
  if (!info.backend && info.loading)
    return { label: "TF.js loading…", detail: "Fetching TensorFlow.js and starting a backend" };
  if (!info.backend)
    return { label: "TF.js idle", detail: "TensorFlow.js loads when a cell needs it" };
  const webgl = info.backend === "webgl";
  const kind = webgl
    ? info.software
      ? "software renderer, not a GPU"
      : "GPU"
    : info.backend === "webgpu"
      ? "GPU"
      : "CPU";
  const base = webgl
    ? `WebGL · ${info.software ? "software" : "GPU"}`
    : `${info.backend}${info.software ? " · no GPU" : ""}`;
  const label = info.fallbackReason ? `${base} · fallback` : base;
  const detail = [
    `backend: ${info.backend} (${kind})`,
    info.reason && `why: ${info.reason}`,
    info.renderer && `WebGL renderer: ${info.renderer}${info.software ? " (software)" : ""}`,
    info.fallbackReason && `fell back: ${info.fallbackReason}`,
  ]
    .filter(Boolean)
    .join("\n");
  return { label, detail };
}

export class HardwareIndicator {
  readonly element: HTMLElement;
  readonly #backend: HTMLElement;
  readonly #memory: HTMLElement;
  readonly #tensorflow: TensorFlowHost;

  constructor(tensorflow: TensorFlowHost) {
    this.#tensorflow = tensorflow;
    this.element = document.createElement("aside");
    this.element.className = "fd-indicator";
    this.element.setAttribute("aria-label", "Compute backend and tensor memory");
    this.element.setAttribute("aria-live", "polite");
    this.#backend = document.createElement("span");
    this.#backend.className = "fd-indicator-backend";
    this.#memory = document.createElement("span");
    this.#memory.className = "fd-indicator-memory";
    this.element.append(this.#backend, this.#memory);
    tensorflow.onChange(() => this.#render());
    this.#render();
  }

  mount(parent: HTMLElement): this {
    parent.append(this.element);
    // Memory changes without events: poll, cheaply, while the page is visible.
    const tick = () => {
      if (!document.hidden) this.#renderMemory();
      setTimeout(tick, REFRESH_MS);
    };
    tick();
    return this;
  }

  #render(): void {
    const info = this.#tensorflow.info;
    const { label, detail } = describeBackend(info);
    this.#backend.textContent = label;
    this.element.title = detail;
    this.element.dataset.backend = info.backend;
    this.element.dataset.reason = info.reason ?? "";
    this.element.classList.toggle("fd-software", info.software && info.backend === "webgl");
    this.element.classList.toggle("fd-fallback", !!info.fallbackReason);
    this.#renderMemory();
  }

  #renderMemory(): void {
    if (!this.#tensorflow.info.backend) {
      this.#memory.textContent = "";
      return;
    }
    const { numTensors, numBytes } = this.#tensorflow.memory();
    this.#memory.textContent = `${numTensors} tensors · ${formatBytes(numBytes)}`;
  }
}
