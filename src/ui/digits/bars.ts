/** Ten horizontal bars, one per digit, showing the network's probabilities; the top one stands out. */

export interface ProbabilityBars {
  element: HTMLElement;
  /** `undefined` shows the empty state (nothing drawn) */
  update(probabilities: ArrayLike<number> | undefined): void;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
}

export function createProbabilityBars(width = 260): ProbabilityBars {
  const element = document.createElement("div");
  element.dataset.role = "digit-probabilities";
  Object.assign(element.style, {
    display: "grid",
    gap: "3px",
    font: "16px sans-serif",
    width: `${width}px`,
  });
  const caption = document.createElement("div");
  Object.assign(caption.style, { fontWeight: "bold", marginBottom: "4px" });
  const rows = Array.from({ length: 10 }, (_, digit) => {
    const row = document.createElement("div");
    row.dataset.digit = String(digit);
    Object.assign(row.style, {
      display: "grid",
      gridTemplateColumns: "1.2em 1fr 3.4em",
      alignItems: "center",
      gap: "6px",
    });
    const label = document.createElement("span");
    label.textContent = String(digit);
    label.style.fontWeight = "bold";
    const track = document.createElement("div");
    Object.assign(track.style, {
      height: "16px",
      background: "#eee",
      borderRadius: "3px",
      overflow: "hidden",
    });
    const bar = document.createElement("div");
    Object.assign(bar.style, { height: "100%", width: "0%", background: "#9ab" });
    track.append(bar);
    const value = document.createElement("span");
    value.style.textAlign = "right";
    value.style.fontVariantNumeric = "tabular-nums";
    row.append(label, track, value);
    element.append(row);
    return { row, bar, value };
  });
  element.prepend(caption);

  const update = (probabilities: ArrayLike<number> | undefined) => {
    const best = probabilities ? argmax(probabilities) : -1;
    element.dataset.prediction = best < 0 ? "" : String(best);
    caption.textContent = best < 0 ? "Probabilities" : `It is a “${best}”`;
    rows.forEach(({ row, bar, value }, digit) => {
      const p = probabilities?.[digit] ?? 0;
      row.dataset.probability = String(p);
      bar.style.width = `${(100 * p).toFixed(1)}%`;
      bar.style.background = digit === best ? "#0877bd" : "#9ab";
      value.textContent = probabilities ? `${(100 * p).toFixed(p < 0.1 ? 1 : 0)}%` : "–";
    });
  };
  update(undefined);
  return { element, update };
}
