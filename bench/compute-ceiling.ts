/**
 * The ceiling two members can reach on this machine, whatever their messages: the members' own
 * step (lossAndGradient on wasm, one thread, the batch prepared each step) in 1 and in 2 Node
 * processes at once (one thread each: tsx's loader does not reach worker_threads), no messages and no browser, alternating in rounds. Each window also
 * reads /proc/stat: the cores the machine was busy (all programs) and the hypervisor's steal.
 *
 *   npx tsx bench/compute-ceiling.ts [--batch 128] [--ms 4000] [--rounds 3] [--scalar]
 *
 * `--scalar` runs an integer loop that touches no memory instead: two of those slowing each
 * other means the two vCPUs share a physical core (or the host time-slices them), not memory.
 *
 * Run it under the heavy-job lock: anything else running lowers the two-thread figure.
 */
import { readFileSync } from "node:fs";
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

interface Options {
  batch: number;
  ms: number;
  /** "step": the members' step; "scalar": an integer loop in registers (no memory traffic) */
  kernel: "step" | "scalar";
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** [busy, steal] seconds summed over cores, since boot */
function stat(): [number, number] {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8")
    .split("\n")[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return [(user! + nice! + system! + irq! + softirq!) / 100, steal! / 100];
}

/** seconds of CPU a process has used */
function used(pid: number | undefined): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const once = (child: ChildProcess) => new Promise<unknown>((r) => child.once("message", r));

async function window(threads: number, options: Options) {
  const file = fileURLToPath(import.meta.url);
  const children = Array.from({ length: threads }, () =>
    fork(file, ["--child", JSON.stringify(options)], { execArgv: process.execArgv }),
  );
  // each warms up, then says so; all start their timed window together
  await Promise.all(children.map(once));
  const [busy0, steal0] = stat();
  const mine0 = children.reduce((sum, c) => sum + used(c.pid), used(process.pid));
  const t0 = performance.now();
  const rates = children.map((c) => once(c) as Promise<number>);
  for (const c of children) c.send("go");
  const perThread = await Promise.all(rates);
  const seconds = (performance.now() - t0) / 1000;
  const [busy1, steal1] = stat();
  const mine1 = children.reduce((sum, c) => sum + used(c.pid), used(process.pid));
  for (const c of children) c.kill();
  return {
    examplesPerSecond: perThread.reduce((a, b) => a + b, 0),
    perThread,
    machineCores: (busy1 - busy0) / seconds,
    /** what other programs took meanwhile */
    otherCores: (busy1 - busy0 - (mine1 - mine0)) / seconds,
    stealCores: (steal1 - steal0) / seconds,
  };
}

async function main() {
  const kernel = process.argv.includes("--scalar") ? "scalar" : "step";
  const options: Options = { batch: arg("batch", 128), ms: arg("ms", 4000), kernel };
  const rounds = arg("rounds", 3);
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const one: Awaited<ReturnType<typeof window>>[] = [];
  const two: Awaited<ReturnType<typeof window>>[] = [];
  for (let r = 0; r < rounds; r++) {
    one.push(await window(1, options));
    two.push(await window(2, options));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const f = (x: number) => Math.round(x);
  console.log(
    `${kernel === "scalar" ? "scalar loop (1 example = 1000 iterations)" : `batch ${options.batch}`}, ${rounds} rounds of ${options.ms} ms, load at start ${load}`,
  );
  for (const [name, ws] of [
    ["1 thread ", one],
    ["2 threads", two],
  ] as const) {
    console.log(
      `${name}: ${ws.map((w) => f(w.examplesPerSecond)).join(", ")} examples/s` +
        ` (per thread ${ws.map((w) => w.perThread.map(f).join("+")).join(", ")});` +
        ` machine busy ${ws.map((w) => w.machineCores.toFixed(2)).join(", ")} cores,` +
        ` other programs ${ws.map((w) => w.otherCores.toFixed(2)).join(", ")},` +
        ` steal ${ws.map((w) => w.stealCores.toFixed(2)).join(", ")}`,
    );
  }
  const ratios = one.map((o, i) => two[i]!.examplesPerSecond / o.examplesPerSecond);
  console.log(
    `2 ÷ 1 per round: ${ratios.map((r) => r.toFixed(2)).join(", ")}; median ${median(ratios).toFixed(2)}`,
  );
  console.log(
    `load at end ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
  );
}

/** A loop that touches no memory: if two of these slow each other, the cores themselves are shared. */
async function scalar(ms: number) {
  let x = 1;
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil)
    for (let i = 0; i < 1e5; i++) x = (x * 1664525 + 1013904223) | 0;
  process.send!("warm");
  await new Promise((r) => process.once("message", r));
  let rounds = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 1e5; i++) x = (x * 1664525 + 1013904223) | 0;
    rounds++;
  }
  // "examples" here are 1000 iterations, so the figures read like the step's
  process.send!((rounds * 100 + (x & 0)) / ((performance.now() - t0) / 1000));
}

async function thread({ batch, ms, kernel }: Options) {
  if (kernel === "scalar") return scalar(ms);
  const tf = await import("@tensorflow/tfjs");
  await import("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend("wasm");
  const { initialParameters, lossAndGradient, prepareBatch } =
    await import("../src/ml/distributed/mlp.ts");
  const params = initialParameters(1);
  const gradient = new Float32Array(params.length);
  const pixels = Float32Array.from({ length: batch * 784 }, (_, i) => ((i * 7919) % 255) / 255);
  const labels = Uint8Array.from({ length: batch }, (_, i) => i % 10);
  const step = async () => {
    const prepared = prepareBatch(tf, { pixels, labels, count: batch });
    try {
      await lossAndGradient(tf, params, prepared, undefined, gradient);
    } finally {
      prepared.dispose();
    }
  };
  const warmUntil = performance.now() + 1500;
  while (performance.now() < warmUntil) await step();
  process.send!("warm");
  await new Promise((r) => process.once("message", r));
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await step();
    steps++;
  }
  process.send!((steps * batch) / ((performance.now() - t0) / 1000));
}

const child = process.argv.indexOf("--child");
if (child < 0) await main();
else await thread(JSON.parse(process.argv[child + 1]!) as Options);
