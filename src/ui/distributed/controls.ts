/** The run's settings as form controls: each change is a new configuration, hence a new run. */
import { DEFAULT_CONFIG, type TrainingConfig } from "../../ml/distributed/coordinator.ts";

type Option<T> = [label: string, value: T];

/** per-worker batch sizes offered: larger ones let computation outweigh the messages of a step */
export const BATCHES = [32, 64, 128, 256, 512] as const;

function select<T>(label: string, options: Option<T>[], value: T, name: string) {
  const wrap = document.createElement("label");
  wrap.style.whiteSpace = "nowrap";
  const input = document.createElement("select");
  input.name = name;
  input.style.font = "inherit";
  options.forEach(([text, v], i) => {
    const option = new Option(text, String(i), false, v === value);
    input.append(option);
  });
  wrap.append(`${label} `, input);
  return { element: wrap, input, value: () => options[Number(input.value)]![1] };
}

export interface ConfigControls {
  element: HTMLElement;
  read(): TrainingConfig;
  set(config: TrainingConfig): void;
  onChange(listener: () => void): void;
}

export function configControls(config: TrainingConfig): ConfigControls {
  const element = document.createElement("div");
  Object.assign(element.style, {
    display: "flex",
    flexWrap: "wrap",
    gap: "6px 14px",
    alignItems: "center",
  });
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const build = (c: TrainingConfig) => ({
    workers: select(
      "workers",
      range(8).map((n) => [String(n), n]),
      c.workers,
      "workers",
    ),
    batchPerWorker: select(
      "batch per worker",
      BATCHES.map((n) => [String(n), n]),
      c.batchPerWorker,
      "batchPerWorker",
    ),
    mode: select(
      "",
      [
        ["synchronous", "sync"],
        ["asynchronous", "async"],
      ],
      c.mode,
      "mode",
    ),
    aggregation: select(
      "via",
      [
        ["parameter server", "ps"],
        ["ring all-reduce", "ring"],
      ],
      c.aggregation,
      "aggregation",
    ),
    bits: select(
      "gradients",
      [
        ["32-bit", 32],
        ["16-bit", 16],
        ["8-bit", 8],
      ],
      c.bits,
      "bits",
    ),
    errorFeedback: select(
      "error feedback",
      [
        ["off", false],
        ["on", true],
      ],
      c.errorFeedback,
      "errorFeedback",
    ),
    backups: select(
      "backup workers",
      [
        ["0", 0],
        ["1", 1],
        ["2", 2],
      ],
      c.backups,
      "backups",
    ),
    onTimeout: select(
      "a dead worker (sync):",
      [
        ["go on without it", "continue"],
        ["wait for it", "wait"],
      ],
      c.onTimeout,
      "onTimeout",
    ),
  });
  let inputs = build(config);
  const listeners: Array<() => void> = [];
  const mount = () => {
    element.replaceChildren(...Object.values(inputs).map((i) => i.element));
    for (const i of Object.values(inputs))
      i.input.addEventListener("change", () => listeners.forEach((l) => l()));
  };
  mount();
  return {
    element,
    read: () => ({
      ...DEFAULT_CONFIG,
      workers: inputs.workers.value(),
      batchPerWorker: inputs.batchPerWorker.value(),
      mode: inputs.mode.value() as TrainingConfig["mode"],
      aggregation: inputs.aggregation.value() as TrainingConfig["aggregation"],
      bits: inputs.bits.value() as TrainingConfig["bits"],
      errorFeedback: inputs.errorFeedback.value() as boolean,
      backups: inputs.backups.value(),
      onTimeout: inputs.onTimeout.value() as TrainingConfig["onTimeout"],
    }),
    set(c) {
      inputs = build(c);
      mount();
    },
    onChange: (listener) => listeners.push(listener),
  };
}

/** What a configuration is called in the legend. */
export function describeConfig(c: TrainingConfig): string {
  const parts = [
    `${c.workers} worker${c.workers > 1 ? "s" : ""}`,
    c.mode === "sync" ? "sync" : "async",
    c.mode === "sync" && c.aggregation === "ring" ? "ring" : "PS",
    `${c.bits}-bit${c.bits < 32 && c.errorFeedback ? "+EF" : ""}`,
  ];
  if (c.batchPerWorker !== DEFAULT_CONFIG.batchPerWorker) parts.push(`batch ${c.batchPerWorker}`);
  if (c.mode === "sync" && c.backups) parts.push(`${c.backups} backup`);
  return parts.join(" · ");
}
