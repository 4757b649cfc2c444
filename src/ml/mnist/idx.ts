/**
 * The IDX file format of the MNIST database: a big-endian header (a magic number whose third
 * byte is the element type and fourth the number of dimensions, then one int32 size per
 * dimension) followed by the elements, row-major. MNIST uses unsigned bytes only: images are
 * `[count, rows, cols]` (magic 2051), labels `[count]` (magic 2049).
 *
 * Pure: no DOM, no Node APIs; `gunzip` relies on `DecompressionStream` (browsers, Node ≥ 18).
 */

export class IdxError extends Error {
  override name = "IdxError";
}

export interface IdxArray {
  /** the size of each dimension, outermost first */
  shape: number[];
  /** the elements, row-major (a view into the input, not a copy) */
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
export const IMAGES_MAGIC = 0x00000803; // 2051
export const LABELS_MAGIC = 0x00000801; // 2049

/** Parses an uncompressed IDX file of unsigned bytes; throws `IdxError` on anything else. */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) throw new IdxError(`IDX: ${bytes.length} bytes is too short for a header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) {
    throw new IdxError(
      `IDX: bad magic 0x${view.getUint32(0).toString(16).padStart(8, "0")} (must start with two zero bytes)`,
    );
  }
  const type = bytes[2];
  const rank = bytes[3] ?? 0;
  if (type !== UNSIGNED_BYTE) {
    throw new IdxError(
      `IDX: element type 0x${(type ?? 0).toString(16)} is not unsigned byte (0x08)`,
    );
  }
  if (rank < 1) throw new IdxError("IDX: zero dimensions");
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new IdxError(
      `IDX: header of ${rank} dimensions needs ${headerLength} bytes, got ${bytes.length}`,
    );
  }
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - headerLength !== size) {
    throw new IdxError(
      `IDX: shape [${shape.join(", ")}] needs ${size} bytes of data, got ${bytes.length - headerLength}`,
    );
  }
  return { shape, data: bytes.subarray(headerLength) };
}

/** True when `bytes` starts with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip; returns `bytes` as they are when they are not gzip (a server may already
 * have decoded a `.gz` file it sent with `Content-Encoding: gzip`).
 */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("gzip"));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new IdxError(`gzip: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A set of labelled images: image `i` is `images[i*rows*cols … (i+1)*rows*cols)`, 0 = background. */
export interface LabelledImages {
  count: number;
  rows: number;
  cols: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** Decodes an MNIST image file and its label file (both uncompressed IDX) into one set. */
export function decodeMnist(imageFile: Uint8Array, labelFile: Uint8Array): LabelledImages {
  const images = parseIdx(imageFile);
  const labels = parseIdx(labelFile);
  const magic = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  if (magic(imageFile) !== IMAGES_MAGIC || images.shape.length !== 3) {
    throw new IdxError(
      `MNIST images: expected 3 dimensions (magic 2051), got [${images.shape.join(", ")}]`,
    );
  }
  if (magic(labelFile) !== LABELS_MAGIC || labels.shape.length !== 1) {
    throw new IdxError(
      `MNIST labels: expected 1 dimension (magic 2049), got [${labels.shape.join(", ")}]`,
    );
  }
  const [count = 0, rows = 0, cols = 0] = images.shape;
  if (labels.shape[0] !== count) {
    throw new IdxError(`MNIST: ${count} images but ${labels.shape[0] ?? 0} labels`);
  }
  const bad = labels.data.findIndex((label) => label > 9);
  if (bad >= 0) throw new IdxError(`MNIST: label ${labels.data[bad]} at ${bad} is not a digit`);
  return { count, rows, cols, images: images.data, labels: labels.data };
}
