/**
 * Observable Plot as cells get it: the same module, with margins that leave room for axis labels
 * and legends drawn at a legible size (the stylesheets set 14–18 px through
 * `--fd-chart-font-size`; Plot's margins assume its 10 px). Margins a chart sets itself are kept.
 * Its canvases (rasters, colour ramps) are software ones: Plot reads each back at once with
 * toDataURL, which on an accelerated canvas waits for the GPU (60–190 ms a ramp on
 * SwiftShader, against 0.1 ms).
 */
import type * as PlotModule from "@observablehq/plot";

type Plot = typeof PlotModule;
type PlotOptions = NonNullable<Parameters<Plot["plot"]>[0]>;
type ScaleOptions = Record<string, unknown>;

/** Plot's defaults scaled for 18 px labels (its own are 40, 20 and 30). */
export const LEGIBLE_MARGINS = { marginLeft: 60, marginTop: 30, marginBottom: 44 } as const;

/**
 * A colour ramp's box for 18 px ticks (Plot's is 240 × 50 with no side margins, so the first
 * and last tick labels hang outside it, and outside the slide when the chart sits at its edge).
 */
export const LEGIBLE_RAMP = {
  marginLeft: 24,
  marginRight: 24,
  marginTop: 26,
  marginBottom: 30,
  height: 72,
} as const;

/** Whether a scale's legend is drawn as a ramp (a continuous scale), not as swatches. */
function rampLegend(scale: ScaleOptions): boolean {
  if (!scale.legend) return false;
  if (scale.legend === "ramp") return true;
  if (scale.legend === "swatches") return false;
  if (scale.type === "ordinal" || scale.type === "categorical") return false;
  const domain = scale.domain;
  return !(Array.isArray(domain) && domain.some((d) => typeof d === "string"));
}

function withLegibleLegend(scale: unknown): unknown {
  if (!scale || typeof scale !== "object" || !rampLegend(scale as ScaleOptions)) return scale;
  return { ...LEGIBLE_RAMP, ...(scale as ScaleOptions) };
}

export function withLegibleMargins(options: PlotOptions = {}): PlotOptions {
  const filled: PlotOptions = { ...options };
  for (const key of ["color", "opacity"] as const) {
    if (filled[key] !== undefined) filled[key] = withLegibleLegend(filled[key]) as never;
  }
  if (options.margin !== undefined) return filled;
  for (const [name, value] of Object.entries(LEGIBLE_MARGINS) as [
    keyof typeof LEGIBLE_MARGINS,
    number,
  ][]) {
    if (filled[name] === undefined) filled[name] = value;
  }
  return filled;
}

/** `document`, except that the canvases it creates read back without a GPU round trip. */
export function readBackDocument(real: Document): Document {
  const createElement = (tag: string, options?: ElementCreationOptions): HTMLElement => {
    const element = real.createElement(tag, options);
    if (element instanceof HTMLCanvasElement) {
      const getContext = element.getContext.bind(element) as (
        id: string,
        settings?: object,
      ) => RenderingContext | null;
      Object.defineProperty(element, "getContext", {
        value: (id: string, settings?: object) =>
          getContext(id, id === "2d" ? { willReadFrequently: true, ...settings } : settings),
      });
    }
    return element;
  };
  return new Proxy(real, {
    get(target, name) {
      if (name === "createElement") return createElement;
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
}

let shared: Document | undefined;

function withReadBack<T extends { document?: Document }>(options: T): T {
  if (options.document !== undefined || typeof document === "undefined") return options;
  shared ??= readBackDocument(document);
  return { ...options, document: shared };
}

export function legiblePlot(plot: Plot): Plot {
  return {
    ...plot,
    plot: (options?: PlotOptions) => plot.plot(withReadBack(withLegibleMargins(options))),
  };
}
