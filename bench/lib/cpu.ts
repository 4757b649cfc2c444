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
