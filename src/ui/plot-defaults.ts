/**
 * Observable Plot as cells get it: the same module, with margins that leave room for axis labels
 * drawn at a legible size (the stylesheets set 14–16 px; Plot's margins assume its 10 px).
 * Margins a chart sets itself are kept. Its canvases (rasters, colour ramps) are software ones:
 * Plot reads each back at once with toDataURL, which on an accelerated canvas waits for the GPU
 * (60–190 ms a ramp on SwiftShader, against 0.1 ms).
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
