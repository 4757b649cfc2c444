/**
 * Convolution2D on a real MNIST digit with a 3 × 3 kernel the reader edits: the input, the
 * kernel as a grid of number fields, and the feature map tf.conv2d computes, side by side.
 */
import type * as TF from "@tensorflow/tfjs";

type Tf = typeof TF;

export const KERNELS: Record<string, number[]> = {
  "vertical edges": [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  "horizontal edges": [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  blur: [1, 1, 1, 1, 1, 1, 1, 1, 1].map((v) => v / 9),
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
};

export interface ConvView {
  element: HTMLElement;
  setKernel(values: number[]): Promise<void>;
}

function paint(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  size: number,
  diverging: boolean,
): void {
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext("2d")!;
  const image = ctx.createImageData(size, size);
  let m = 1e-6;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  for (let i = 0; i < size * size; i++) {
    const v = values[i]! / m;
    const rgb = diverging
      ? v >= 0
        ? [255 - 200 * v, 255 - 120 * v, 255]
        : [255, 255 + 200 * v, 255 + 200 * v]
      : [255 - 255 * v, 255 - 255 * v, 255 - 255 * v];
    image.data.set([...rgb.map(Math.round), 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

export function createConvView(tf: Tf, digit: Float32Array, size: number): ConvView {
  const root = document.createElement("div");
  root.dataset.role = "conv-view";
  Object.assign(root.style, {
    display: "flex",
    gap: "18px",
    alignItems: "center",
    flexWrap: "wrap",
    font: "16px sans-serif",
  });
  const canvas = () => {
    const c = document.createElement("canvas");
    Object.assign(c.style, {
      width: `${size}px`,
      height: `${size}px`,
      imageRendering: "pixelated",
      border: "1px solid #ccc",
    });
    return c;
  };
  const input = canvas();
  const output = canvas();
  output.dataset.role = "conv-output";
  paint(input, digit, 28, false);
  const grid = document.createElement("div");
  Object.assign(grid.style, { display: "grid", gridTemplateColumns: "repeat(3, 4em)", gap: "4px" });
  const fields = Array.from({ length: 9 }, () => {
    const f = document.createElement("input");
    Object.assign(f, { type: "number", step: "0.5" });
    Object.assign(f.style, { font: "16px var(--fd-mono, monospace)", width: "4em" });
    grid.append(f);
    return f;
  });
  const presets = document.createElement("div");
  Object.assign(presets.style, { display: "flex", flexDirection: "column", gap: "4px" });
  const caption = document.createElement("div");
  caption.dataset.role = "conv-caption";
  const column = (label: string, ...nodes: Node[]) => {
    const d = document.createElement("div");
    Object.assign(d.style, { display: "grid", gap: "4px", justifyItems: "center" });
    const l = document.createElement("div");
    l.textContent = label;
    d.append(l, ...nodes);
    return d;
  };
  root.append(
    column("input [28, 28, 1]", input),
    column("kernel [3, 3, 1, 1]", grid, presets),
    column("tf.conv2d → [28, 28, 1]", output, caption),
  );

  const compute = async () => {
    const kernel = fields.map((f) => Number(f.value));
    if (kernel.some((v) => !Number.isFinite(v))) {
      caption.textContent = "every kernel entry must be a number";
      return;
    }
    const out = tf.tidy(() =>
      tf.conv2d(tf.tensor4d(digit, [1, 28, 28, 1]), tf.tensor4d(kernel, [3, 3, 1, 1]), 1, "same"),
    );
    const values = await out.data();
    out.dispose();
    paint(output, values, 28, true);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    caption.textContent = `from ${lo.toFixed(2)} to ${hi.toFixed(2)}`;
    root.dataset.range = `${lo.toFixed(3)},${hi.toFixed(3)}`;
  };
  const setKernel = async (values: number[]) => {
    values.forEach((v, i) => (fields[i]!.value = String(Number(v.toFixed(3)))));
    await compute();
  };
  for (const [name, values] of Object.entries(KERNELS)) {
    const b = document.createElement("button");
    b.textContent = name;
    b.style.font = "16px sans-serif";
    b.dataset.kernel = name;
    b.onclick = () => void setKernel(values);
    presets.append(b);
  }
  fields.forEach((f) => (f.oninput = () => void compute()));
  void setKernel(KERNELS["vertical edges"]!);
  return { element: root, setKernel };
}
