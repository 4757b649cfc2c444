/** Command-line options of `npm run bench` (after `--`: `npm run bench -- --runs 9`). */
import path from "node:path";
import { CHROMIUM } from "../../tools/chromium.ts";

/** The bench's entries, in the order they run; `--only` picks some. */
export const ENTRIES = [
  "startup",
  "slider",
  "traversal",
  "playground",
  "digits",
  "matmul",
  "room",
  "distributed",
] as const;
export type Entry = (typeof ENTRIES)[number];

export interface BenchOptions {
  /** the entries to run (all by default) */
  only: Set<Entry>;
  /** start-up runs per deck (Flowdeck and baseline alternate) */
  runs: number;
  /** slider input events timed */
  sliderSamples: number;
  /** the project root (where package.json, dist/ and slides/ are) */
  root: string;
  chromium: string;
  /** where the matmul entry's plain page measures: a worker per backend (as the slide) or its main thread */
  matmulReference: "worker" | "main";
  /** ms the traversal stays on each step after it settled (issue 14's window is 2000) */
  dwellMs: number;
  /** the room entry's rounds (alone, with phones, alone at their batches, in turn) */
  roomRounds: number;
  /** the room entry's configurations: mode and bits of the weights to the phones */
  roomRuns: RoomRun[];
  /**
   * the distributed entry's batches per worker: the first on 1, 2 and 4 workers (the result's
   * figures), each other on 1 and 2
   */
  distributedBatches: number[];
}

export const DISTRIBUTED_BATCHES = [32, 64, 128, 256, 512] as const;
export const ROOM_RUNS = ["sync16", "sync32", "async16"] as const;
export type RoomRun = (typeof ROOM_RUNS)[number];

const USAGE = `usage: npm run bench -- [--only ENTRY[,ENTRY…]] [--runs N] [--slider-samples N]
  --only ENTRY        run only these entries (repeatable or comma-separated):
                      ${ENTRIES.join(", ")}
  --runs N            start-up runs per deck, alternating Flowdeck and baseline (default 7)
  --slider-samples N  slider input events to time (default 60, at least 50 recommended)
  --matmul-reference worker|main
                      where the matmul entry's plain page measures (default worker, as the
                      slide; main shows what the main thread changes)
  --dwell MS          ms the traversal stays on each step after it settled (default 2000, the
                      long-task window of issue 14, so windows do not overlap; 0: next key at once)
  --room-rounds N     the room entry's rounds, each alone / with two phones / alone at their
                      batches (default 3)
  --room-runs R[,R…]  the room entry's configurations: ${ROOM_RUNS.join(", ")} (default all)
  --distributed-batches B[,B…]
                      the distributed entry's batches per worker, one of ${DISTRIBUTED_BATCHES.join(", ")}:
                      the first on 1, 2 and 4 workers, the others on 1 and 2 (default 128,512)`;

function positiveInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!text || !Number.isInteger(value) || value < 1) {
    throw new Error(`${flag} needs a positive integer, got ${text ?? "nothing"}\n${USAGE}`);
  }
  return value;
}

export function parseOptions(argv: readonly string[], cwd = process.cwd()): BenchOptions {
  const options: BenchOptions = {
    only: new Set(ENTRIES),
    runs: 7,
    sliderSamples: 60,
    root: path.resolve(cwd),
    chromium: CHROMIUM,
    matmulReference: "worker",
    dwellMs: 2000,
    roomRounds: 3,
    roomRuns: [...ROOM_RUNS],
    distributedBatches: [128, 512],
  };
  let picked = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--only": {
        if (!picked) options.only.clear();
        picked = true;
        for (const name of (value() ?? "").split(",")) {
          const entry = ENTRIES.find((e) => e === name.trim());
          if (!entry) throw new Error(`--only: unknown entry "${name}"\n${USAGE}`);
          options.only.add(entry);
        }
        break;
      }
      case "--runs":
        options.runs = positiveInteger(flag, value());
        break;
      case "--slider-samples":
        options.sliderSamples = positiveInteger(flag, value());
        break;
      case "--matmul-reference": {
        const thread = value();
        if (thread !== "worker" && thread !== "main") {
          throw new Error(
            `--matmul-reference needs worker or main, got ${thread ?? "nothing"}\n${USAGE}`,
          );
        }
        options.matmulReference = thread;
        break;
      }
      case "--dwell": {
        const text = value();
        const ms = Number(text);
        if (!text || !Number.isInteger(ms) || ms < 0) {
          throw new Error(`--dwell needs a whole number of ms, got ${text ?? "nothing"}\n${USAGE}`);
        }
        options.dwellMs = ms;
        break;
      }
      case "--room-rounds":
        options.roomRounds = positiveInteger(flag, value());
        break;
      case "--room-runs": {
        const runs = (value() ?? "").split(",").map((r) => r.trim());
        const unknown = runs.find((r) => !ROOM_RUNS.some((known) => known === r));
        if (unknown !== undefined) {
          throw new Error(`--room-runs: unknown configuration "${unknown}"\n${USAGE}`);
        }
        options.roomRuns = runs as RoomRun[];
        break;
      }
      case "--distributed-batches": {
        const text = value() ?? "";
        const batches = text.split(",").map((b) => Number(b.trim()));
        const wrong = batches.find((b) => !DISTRIBUTED_BATCHES.some((known) => known === b));
        if (wrong !== undefined || batches.length === 0) {
          throw new Error(
            `--distributed-batches: each batch is one of ${DISTRIBUTED_BATCHES.join(", ")}, got "${text}"\n${USAGE}`,
          );
        }
        options.distributedBatches = [...new Set(batches)];
        break;
      }
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return options;
}
