/** Command-line options of `npm run bench` (after `--`: `npm run bench -- --runs 9`). */
import path from "node:path";
import { CHROMIUM } from "../../tools/chromium.ts";

export interface BenchOptions {
  /** start-up runs per deck (Flowdeck and baseline alternate) */
  runs: number;
  /** slider input events timed */
  sliderSamples: number;
  /** the project root (where package.json, dist/ and slides/ are) */
  root: string;
  chromium: string;
  /** measure only these entries (`--only distributed,digits`); all when undefined */
  only?: string[];
}

/** The entries of the bench, as `--only` names them. */
export const ENTRIES = [
  "startup",
  "slider",
  "traversal",
  "playground",
  "digits",
  "distributed",
] as const;

export function wants(options: BenchOptions, entry: (typeof ENTRIES)[number]): boolean {
  return !options.only || options.only.includes(entry);
}

const USAGE = `usage: npm run bench -- [--runs N] [--slider-samples N]
  --runs N            start-up runs per deck, alternating Flowdeck and baseline (default 7)
  --slider-samples N  slider input events to time (default 60, at least 50 recommended)
  --only A,B          measure only these entries: ${ENTRIES.join(", ")}`;

function positiveInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!text || !Number.isInteger(value) || value < 1) {
    throw new Error(`${flag} needs a positive integer, got ${text ?? "nothing"}\n${USAGE}`);
  }
  return value;
}

export function parseOptions(argv: readonly string[], cwd = process.cwd()): BenchOptions {
  const options: BenchOptions = {
    runs: 7,
    sliderSamples: 60,
    root: path.resolve(cwd),
    chromium: CHROMIUM,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--runs":
        options.runs = positiveInteger(flag, value());
        break;
      case "--slider-samples":
        options.sliderSamples = positiveInteger(flag, value());
        break;
      case "--only": {
        const names = (value() ?? "").split(",").filter(Boolean);
        const unknown = names.filter((n) => !(ENTRIES as readonly string[]).includes(n));
        if (!names.length || unknown.length) {
          throw new Error(`--only needs entries among ${ENTRIES.join(", ")}\n${USAGE}`);
        }
        options.only = names;
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
