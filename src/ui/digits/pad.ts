/**
 * A canvas to draw a digit on with a mouse, a pen or a finger (pointer events). Inside reveal.js
 * the slide is scaled with a CSS transform, so a pointer's position is mapped with the ratio of
 * the canvas's pixel size to its on-screen box (getBoundingClientRect), which includes the
 * transform. Changes are reported at most once per animation frame.
 */
import { inkFromRgba, toMnist } from "../../ml/mnist/preprocess.ts";

export interface DrawingPad {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  /** the drawing as a 28×28 MNIST-style image (ink 0…1) */
  image(): Float32Array;
  /** true once something is drawn */
  readonly drawn: boolean;
  /** paints a 28×28 image of ink (0…1) over the whole pad, as if drawn: the printed deck's digit */
  show(ink: Float32Array, side?: number): void;
  clear(): void;
  destroy(): void;
}

export interface PadOptions {
  /** canvas pixels per side */
  resolution?: number;
  /** on-screen size in CSS pixels */
  size?: number;
  /** called (once per frame at most) while the drawing changes, and after `clear()` */
  onChange: () => void;
}

export function createDrawingPad({
  resolution = 280,
  size = 280,
  onChange,
}: PadOptions): DrawingPad {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = resolution;
  canvas.setAttribute("aria-label", "Draw a digit here");
  canvas.dataset.role = "digit-pad";
  Object.assign(canvas.style, {
    width: `${size}px`,
    height: `${size}px`,
    touchAction: "none",
    cursor: "crosshair",
    background: "#fff",
    border: "2px solid #444",
    borderRadius: "8px",
    display: "block",
  });
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  const line = resolution / 11; // MNIST strokes are about 1/8 of the digit's 20-pixel box
  const hint = document.createElement("div");
  hint.textContent = "draw a digit";
  Object.assign(hint.style, {
    position: "absolute",
    inset: "0",
    display: "grid",
    placeItems: "center",
    color: "#999",
    font: "italic 20px sans-serif",
    pointerEvents: "none",
  });
  const clearButton = document.createElement("button");
  clearButton.type = "button";
  clearButton.textContent = "Clear";
  clearButton.dataset.role = "digit-clear";
  const frame = document.createElement("div");
  frame.style.position = "relative";
  frame.append(canvas, hint);
  const element = document.createElement("div");
  Object.assign(element.style, {
    display: "flex",
    flexDirection: "column",
    gap: "8px",
    alignItems: "center",
  });
  element.append(frame, clearButton);

  let drawn = false;
  let last: { x: number; y: number } | undefined;
  let active: number | undefined;
  let scheduled = 0;

  const changed = () => {
    if (scheduled) return;
    scheduled = requestAnimationFrame(() => {
      scheduled = 0;
      onChange();
    });
  };

  /** The event's position in canvas pixels, whatever CSS scaling the slide applies. */
  const position = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * canvas.height) / rect.height,
    };
  };

  const strokeTo = (point: { x: number; y: number }) => {
    context.strokeStyle = "#000";
    context.fillStyle = "#000";
    context.lineWidth = line;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    if (last) {
      context.moveTo(last.x, last.y);
      context.lineTo(point.x, point.y);
      context.stroke();
    } else {
      context.arc(point.x, point.y, line / 2, 0, 2 * Math.PI);
      context.fill();
    }
    last = point;
    if (!drawn) {
      drawn = true;
      hint.hidden = true;
    }
    changed();
  };

  const down = (event: PointerEvent) => {
    if (active !== undefined || event.button > 0) return;
    event.preventDefault();
    active = event.pointerId;
    canvas.setPointerCapture(event.pointerId);
    last = undefined;
    strokeTo(position(event));
  };
  const move = (event: PointerEvent) => {
    if (event.pointerId !== active) return;
    event.preventDefault();
    const events = event.getCoalescedEvents?.() ?? [];
    for (const e of events.length ? events : [event]) strokeTo(position(e));
  };
  const up = (event: PointerEvent) => {
    if (event.pointerId !== active) return;
    active = undefined;
    last = undefined;
  };
  // reveal.js must not turn a stroke into a slide change (it listens for touch swipes).
  const stop = (event: Event) => event.stopPropagation();

  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  for (const type of ["touchstart", "touchmove", "mousedown"]) canvas.addEventListener(type, stop);

  const clear = () => {
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    hint.hidden = false;
    last = undefined;
    changed();
  };
  clearButton.addEventListener("click", clear);

  return {
    element,
    canvas,
    image: () =>
      toMnist(
        inkFromRgba(
          context.getImageData(0, 0, canvas.width, canvas.height).data,
          canvas.width,
          canvas.height,
        ),
        canvas.width,
        canvas.height,
      ),
    get drawn() {
      return drawn;
    },
    show(ink, side = 28) {
      const cell = canvas.width / side;
      context.clearRect(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < side * side; i++) {
        if (!ink[i]) continue;
        context.fillStyle = `rgba(0, 0, 0, ${Math.min(1, ink[i]!)})`;
        context.fillRect((i % side) * cell, Math.floor(i / side) * cell, cell, cell);
      }
      drawn = true;
      hint.hidden = true;
    },
    clear,
    destroy() {
      if (scheduled) cancelAnimationFrame(scheduled);
      scheduled = 0;
      canvas.removeEventListener("pointerdown", down);
      canvas.removeEventListener("pointermove", move);
      canvas.removeEventListener("pointerup", up);
      canvas.removeEventListener("pointercancel", up);
    },
  };
}
