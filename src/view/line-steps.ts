/**
 * Line highlights on a slide's code, as reveal's highlight plugin writes them
 * (`data-line-numbers="2|3-5|7"`): each `|` is a step, the first shown with the slide and each
 * next one as a fragment, so that the presenter walks through the code line by line. Drawn as
 * bands behind the lines of the cell's `<pre>`; a printed slide shows the first step (reveal
 * prints a fade-out fragment as shown). An edit replaces the code and, with it, the bands.
 */

/** The steps of `spec`, each the sorted 1-based line numbers it highlights. */
export function parseLineSteps(spec: string): number[][] {
  return spec
    .split("|")
    .map((step) => {
      const lines = new Set<number>();
      for (const part of step.split(",")) {
        const range = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
        if (!range) continue;
        const from = Number(range[1]);
        const to = range[2] === undefined ? from : Number(range[2]);
        for (let line = Math.min(from, to); line <= Math.max(from, to); line++) lines.add(line);
      }
      return [...lines].filter((line) => line > 0).sort((a, b) => a - b);
    })
    .filter((lines) => lines.length > 0);
}

/** Runs of consecutive lines, as [first, count]. */
export function lineRuns(lines: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const line of lines) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] === line) last[1]++;
    else runs.push([line, 1]);
  }
  return runs;
}

/**
 * Adds the bands of each step to `pre`: step 0 a `fade-out` fragment (shown until the first
 * step on), the others `current-visible` fragments (shown while they are the current step).
 */
export function addLineSteps(pre: HTMLElement, spec: string): HTMLElement[] {
  const steps = parseLineSteps(spec);
  const style = getComputedStyle(pre);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.45;
  const top = parseFloat(style.paddingTop) || 0;
  const bands: HTMLElement[] = [];
  steps.forEach((lines, step) => {
    const group = document.createElement("span");
    group.className = `fd-line-step fragment ${step === 0 ? "fade-out" : "current-visible"}`;
    group.dataset.fragmentIndex = String(Math.max(0, step - 1));
    group.dataset.step = String(step);
    group.dataset.lines = lines.join(",");
    group.setAttribute("aria-hidden", "true");
    for (const [first, count] of lineRuns(lines)) {
      const band = document.createElement("span");
      band.className = "fd-line-band";
      band.style.top = `${top + (first - 1) * lineHeight}px`;
      band.style.height = `${count * lineHeight}px`;
      group.append(band);
    }
    pre.append(group);
    bands.push(group);
  });
  return bands;
}
