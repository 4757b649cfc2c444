/**
 * Makes a drawing look like an MNIST digit, the way the database was made: crop to the ink's
 * bounding box, scale (keeping the aspect ratio, averaging over areas so strokes anti-alias) to
 * fit a 20×20 box, then place that in a 28×28 image so that the centre of mass of the ink is at
 * the image's centre. Pure: arrays in, arrays out.
 */

export const SIZE = 28;
export const BOX = 20;

/** Ink in 0…1 from RGBA pixels drawn on a transparent canvas (the alpha channel). */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = (rgba[4 * i + 3] ?? 0) / 255;
  return ink;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The smallest box holding every pixel above `threshold`, or undefined when there is none. */
export function inkBounds(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  threshold = 0.05,
): Box | undefined {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] ?? 0) > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Box-filter weights to resample `from` samples to `to`: output j averages the input interval
 * [j·from/to, (j+1)·from/to), each input sample weighted by how much of it the interval covers.
 */
function areaWeights(from: number, to: number): Array<Array<[index: number, weight: number]>> {
  const scale = from / to;
  return Array.from({ length: to }, (_, j) => {
    const start = j * scale;
    const end = (j + 1) * scale;
    const taps: Array<[number, number]> = [];
    for (let i = Math.floor(start); i < Math.min(from, Math.ceil(end)); i++) {
      const cover = Math.min(end, i + 1) - Math.max(start, i);
      if (cover > 0) taps.push([i, cover / scale]);
    }
    return taps;
  });
}

/** Resamples a `width`×`height` image to `toWidth`×`toHeight` by area averaging. */
export function resample(
  image: ArrayLike<number>,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Float32Array {
  const wx = areaWeights(width, toWidth);
  const wy = areaWeights(height, toHeight);
  const rows = new Float32Array(height * toWidth);
  for (let y = 0; y < height; y++) {
    for (let j = 0; j < toWidth; j++) {
      let sum = 0;
      for (const [i, w] of wx[j]!) sum += (image[y * width + i] ?? 0) * w;
      rows[y * toWidth + j] = sum;
    }
  }
  const out = new Float32Array(toWidth * toHeight);
  for (let k = 0; k < toHeight; k++) {
    for (let j = 0; j < toWidth; j++) {
      let sum = 0;
      for (const [i, w] of wy[k]!) sum += rows[i * toWidth + j]! * w;
      out[k * toWidth + j] = sum;
    }
  }
  return out;
}

/** The centre of mass in pixel units (pixel i spans [i, i+1)), or the middle when empty. */
export function centreOfMass(
  image: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number } {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x] ?? 0;
      mass += v;
      sx += (x + 0.5) * v;
      sy += (y + 0.5) * v;
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : { x: width / 2, y: height / 2 };
}

/**
 * A `width`×`height` drawing (ink 0…1) as a 28×28 MNIST-style image (ink 0…1, row-major);
 * all zeros when nothing is drawn.
 */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(SIZE * SIZE);
  const box = inkBounds(ink, width, height);
  if (!box) return out;
  const crop = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      crop[y * box.width + x] = ink[(box.y + y) * width + box.x + x] ?? 0;
    }
  }
  const scale = BOX / Math.max(box.width, box.height);
  const w = Math.max(1, Math.min(BOX, Math.round(box.width * scale)));
  const h = Math.max(1, Math.min(BOX, Math.round(box.height * scale)));
  const small = resample(crop, box.width, box.height, w, h);
  const centre = centreOfMass(small, w, h);
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, v));
  const dx = clamp(Math.round(SIZE / 2 - centre.x), SIZE - w);
  const dy = clamp(Math.round(SIZE / 2 - centre.y), SIZE - h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(dy + y) * SIZE + dx + x] = Math.min(1, small[y * w + x]!);
  }
  return out;
}
