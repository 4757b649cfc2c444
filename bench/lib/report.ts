/** The results table (stdout) and the JSON file (bench/results/). */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export type Status = "pass" | "miss" | "info";

export interface Row {
  metric: string;
  flowdeck: string;
  baseline: string;
  ratio: string;
  target: string;
  status: Status;
}

export const DASH = "—";

export function ms(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value)
    ? DASH
    : `${value.toFixed(0)} ms`;
}

export function msFine(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value)
    ? DASH
    : `${value.toFixed(1)} ms`;
}

export function kb(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined || Number.isNaN(bytes)
    ? DASH
    : `${(bytes / 1000).toFixed(1)} kB`;
}

export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined || !(b > 0)) return DASH;
  return `${(a / b).toFixed(2)}×`;
}

export function status(pass: boolean | undefined): Status {
  return pass === undefined ? "info" : pass ? "pass" : "miss";
}

export function renderTable(rows: Row[]): string {
  const header: Row = {
    metric: "metric",
    flowdeck: "Flowdeck",
    baseline: "baseline",
    ratio: "ratio",
    target: "target",
    status: "info",
  };
  const columns: (keyof Row)[] = ["metric", "flowdeck", "baseline", "ratio", "target", "status"];
  const cell = (row: Row, key: keyof Row) =>
    row === header && key === "status"
      ? "result"
      : key === "status" && row.status === "info"
        ? ""
        : row[key];
  const widths = columns.map((key) =>
    Math.max(...[header, ...rows].map((row) => cell(row, key).length)),
  );
  const line = (row: Row) =>
    columns
      .map((key, i) => {
        const text = cell(row, key);
        return key === "metric" || key === "status"
          ? text.padEnd(widths[i]!)
          : text.padStart(widths[i]!);
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export async function writeResults(root: string, results: object): Promise<string> {
  const dir = path.join(root, "bench", "results");
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(dir, `${stamp}.json`);
  const json = JSON.stringify(results, null, 2) + "\n";
  await writeFile(file, json);
  await writeFile(path.join(dir, "latest.json"), json);
  return file;
}
