/**
 * Where the machine's CPU went during a window (Linux, from /proc): all cores' busy time, and the
 * share of it that was this browser's processes. On a machine shared with other work, a run that
 * got less than the cores it asked for says so here. Elsewhere both are null.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface CpuSample {
  /** seconds of busy CPU, summed over cores */
  busy: number;
  /** seconds of CPU used by the process tree under `root` */
  tree: number;
  at: number;
}

const TICKS = 100; // USER_HZ on Linux

function busySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS;
}

function treeSeconds(root: number): number {
  const parent = new Map<number, number>();
  const used = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(name), Number(fields[1]));
      used.set(Number(name), (Number(fields[11]) + Number(fields[12])) / TICKS);
    } catch {
      // the process ended meanwhile
    }
  }
  let sum = 0;
  for (const [pid, seconds] of used) {
    for (let p: number | undefined = pid; p && p > 1; p = parent.get(p)) {
      if (p === root) {
        sum += seconds;
        break;
      }
    }
  }
  return sum;
}

export function cpuSample(root: number | undefined): CpuSample | null {
  if (process.platform !== "linux" || !root) return null;
  try {
    return { busy: busySeconds(), tree: treeSeconds(root), at: performance.now() };
  } catch {
    return null;
  }
}

/** cores busy in all, and cores used by the tree, between two samples */
export function cpuBetween(
  a: CpuSample | null,
  b: CpuSample | null,
): { machineCores: number; browserCores: number } | null {
  if (!a || !b) return null;
  const seconds = (b.at - a.at) / 1000;
  return { machineCores: (b.busy - a.busy) / seconds, browserCores: (b.tree - a.tree) / seconds };
}

/** One thread's CPU seconds so far, with what it is: its process's type and the thread's name. */
interface ThreadTime {
  process: string;
  main: boolean;
  name: string;
  seconds: number;
}

export interface ThreadsSample {
  threads: Map<string, ThreadTime>;
  at: number;
}

/** Cores each kind of thread of the browser used over a window. */
export interface ThreadCores {
  /** the page's main thread (a renderer process's main thread; all renderers summed) */
  pageMain: number;
  /** each Web Worker's thread, busiest first */
  workers: number[];
  /** the renderer's other threads: garbage collection, compositing, the IO thread */
  rendererOther: number;
  /** the GPU process (here: canvas and compositing in software) */
  gpu: number;
  /** the browser process and its helpers (network, storage, zygotes) */
  browser: number;
}

function processType(pid: string): string {
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  return /--type=([\w-]+)/.exec(cmdline)?.[1] ?? "browser";
}

/** Every thread of the processes under `root`, with its CPU seconds (Linux). */
export function threadsSample(root: number | undefined): ThreadsSample | null {
  if (process.platform !== "linux" || !root) return null;
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // ended meanwhile
    }
  }
  const under = (pid: number) => {
    for (let p: number | undefined = parent.get(pid); p && p > 1; p = parent.get(p)) {
      if (p === root) return true;
    }
    return false;
  };
  const threads = new Map<string, ThreadTime>();
  for (const pid of parent.keys()) {
    if (!under(pid)) continue;
    try {
      const type = processType(String(pid));
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        threads.set(`${pid}/${tid}`, {
          process: type,
          main: tid === String(pid),
          name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
          seconds: (Number(fields[11]) + Number(fields[12])) / TICKS,
        });
      }
    } catch {
      // ended meanwhile
    }
  }
  return { threads, at: performance.now() };
}

export function threadsBetween(
  a: ThreadsSample | null,
  b: ThreadsSample | null,
): ThreadCores | null {
  if (!a || !b) return null;
  const seconds = (b.at - a.at) / 1000;
  const cores: ThreadCores = { pageMain: 0, workers: [], rendererOther: 0, gpu: 0, browser: 0 };
  for (const [key, t] of b.threads) {
    const used = (t.seconds - (a.threads.get(key)?.seconds ?? 0)) / seconds;
    if (t.process === "renderer" && t.main) cores.pageMain += used;
    else if (t.process === "renderer" && t.name.startsWith("DedicatedWorker")) {
      if (used > 0.005) cores.workers.push(used);
    } else if (t.process === "renderer") cores.rendererOther += used;
    else if (t.process === "gpu-process") cores.gpu += used;
    else cores.browser += used;
  }
  cores.workers.sort((x, y) => y - x);
  return cores;
}
