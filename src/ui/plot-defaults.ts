/**
 * Observable Plot as cells get it: the same module, with margins that leave room for axis labels
 * drawn at a legible size (the stylesheets set 14–16 px; Plot's margins assume its 10 px).
 * Margins a chart sets itself are kept.
 */
import type * as PlotModule from "@observablehq/plot";

type Plot = typeof PlotModule;
type PlotOptions = NonNullable<Parameters<Plot["plot"]>[0]>;

/** Plot's defaults scaled for 16 px labels (its own are 40, 20 and 30). */
export const LEGIBLE_MARGINS = { marginLeft: 56, marginTop: 28, marginBottom: 40 } as const;

export function withLegibleMargins(options: PlotOptions = {}): PlotOptions {
  if (options.margin !== undefined) return options;
  const filled: PlotOptions = { ...options };
  for (const [name, value] of Object.entries(LEGIBLE_MARGINS) as [
    keyof typeof LEGIBLE_MARGINS,
    number,
  ][]) {
    if (filled[name] === undefined) filled[name] = value;
  }
  return filled;
}

export function legiblePlot(plot: Plot): Plot {
  return { ...plot, plot: (options?: PlotOptions) => plot.plot(withLegibleMargins(options)) };
}
