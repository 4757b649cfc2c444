/**
 * Binary frames for training payloads: a small JSON header describing the message, then the raw
 * bytes of its typed arrays, so that a phone sends an 8-bit gradient as one byte per value, not
 * as JSON numbers. Layout (little-endian):
 *
 *   0  u8   0xFD magic
 *   1  u8   version (1)
 *   2  u8   frame kind (1 = training payload)
 *   3  u8   reserved, 0
 *   4  u32  peer: the member addressed (presenter → member) or the sender (member → presenter;
 *           the server writes it, so a member cannot speak as another)
 *   8  u32  header length H
 *   12 H    header: UTF-8 JSON { value, arrays, numbers }
 *   …  zero padding to a multiple of 8
 *   B  body: each array's bytes at an offset (from B) that is a multiple of 8, so that the
 *      receiver can view them in place
 *
 * The header's `value` is the message with every typed array, and every number JSON cannot hold
 * (NaN, ±Infinity), replaced by null; `arrays` and `numbers` say what goes back at which path.
 * The frame ends exactly where its last array does.
 */
import { isRecord } from "./shape.ts";

export const FRAME_MAGIC = 0xfd;
export const FRAME_VERSION = 1;
export const FRAME_TRAINING = 1;
export const PREFIX_BYTES = 12;
const ALIGN = 8;
/** nesting of a message, counting from its root */
export const MAX_DEPTH = 32;
export const MAX_ARRAYS = 1024;

const TYPES = {
  f32: Float32Array,
  f64: Float64Array,
  i8: Int8Array,
  u8: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
} as const;
export type ArrayType = keyof typeof TYPES;
export type NumericArray = InstanceType<(typeof TYPES)[ArrayType]>;

const SPECIAL_NUMBERS = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity } as const;
type SpecialNumber = keyof typeof SPECIAL_NUMBERS;

type Path = (string | number)[];

interface ArrayEntry {
  at: Path;
  type: ArrayType;
  /** bytes from the start of the body */
  offset: number;
  /** elements */
  length: number;
}

interface FrameHeader {
  value: unknown;
  arrays: ArrayEntry[];
  numbers: { at: Path; value: SpecialNumber }[];
}

const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

function typeOf(view: ArrayBufferView): ArrayType | undefined {
  for (const [name, Type] of Object.entries(TYPES)) {
    if (view instanceof Type) return name as ArrayType;
  }
  return undefined;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const pathText = (at: Path) => (at.length ? at.join(".") : "the message");

/**
 * Encodes one training payload addressed to (or from) `peer`. Accepts what JSON accepts plus
 * typed arrays and non-finite numbers; `undefined` is dropped from objects and becomes null in
 * arrays, as in JSON. Throws a TypeError naming the path of anything else (a function, a Map…).
 */
export function encodeFrame(peer: number, message: unknown): Uint8Array<ArrayBuffer> {
  const arrays: ArrayEntry[] = [];
  const views: ArrayBufferView[] = [];
  const numbers: FrameHeader["numbers"] = [];
  let bodyLength = 0;

  const walk = (value: unknown, at: Path): unknown => {
    if (at.length > MAX_DEPTH) throw new TypeError(`nested deeper than ${MAX_DEPTH} levels`);
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (value === undefined) return null;
    if (typeof value === "number") {
      if (Number.isFinite(value)) return value;
      numbers.push({ at: [...at], value: String(value) as SpecialNumber });
      return null;
    }
    if (typeof value !== "object")
      throw new TypeError(`cannot send a ${typeof value} at ${pathText(at)}`);
    if (ArrayBuffer.isView(value)) {
      const type = typeOf(value);
      if (!type) throw new TypeError(`cannot send a ${value.constructor.name} at ${pathText(at)}`);
      const length = (value as NumericArray).length;
      arrays.push({ at: [...at], type, offset: bodyLength, length });
      views.push(value);
      bodyLength = align(bodyLength + value.byteLength);
      if (arrays.length > MAX_ARRAYS) throw new TypeError(`more than ${MAX_ARRAYS} arrays`);
      return null;
    }
    if (Array.isArray(value)) return Array.from(value, (item, i) => walk(item, [...at, i]));
    if (!isPlainObject(value))
      throw new TypeError(
        `cannot send a ${value.constructor?.name ?? "object"} at ${pathText(at)}`,
      );
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = walk(item, [...at, key]);
    }
    return out;
  };

  const header: FrameHeader = { value: walk(message, []), arrays, numbers };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const bodyStart = align(PREFIX_BYTES + headerBytes.length);
  const last = arrays.at(-1);
  const end = last ? last.offset + views[arrays.length - 1]!.byteLength : 0;
  const frame = new Uint8Array(bodyStart + end);
  const prefix = new DataView(frame.buffer);
  prefix.setUint8(0, FRAME_MAGIC);
  prefix.setUint8(1, FRAME_VERSION);
  prefix.setUint8(2, FRAME_TRAINING);
  prefix.setUint32(4, peer, true);
  prefix.setUint32(8, headerBytes.length, true);
  frame.set(headerBytes, PREFIX_BYTES);
  arrays.forEach((entry, i) => {
    const view = views[i]!;
    frame.set(
      new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
      bodyStart + entry.offset,
    );
  });
  return frame;
}

export interface FrameLimits {
  /** the whole frame, in bytes */
  maxFrameBytes: number;
  /** the JSON header, in bytes */
  maxHeaderBytes: number;
}

export interface InspectedFrame {
  peer: number;
  header: FrameHeader;
  bodyStart: number;
}

export type Inspected = { ok: true; frame: InspectedFrame } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function isPathStep(step: unknown): step is string | number {
  if (typeof step === "number") return Number.isInteger(step) && step >= 0;
  // A path never walks into an object's prototype.
  return typeof step === "string" && step !== "__proto__";
}

function checkPath(at: unknown, what: string): string | undefined {
  if (!Array.isArray(at) || at.length > MAX_DEPTH || !at.every(isPathStep))
    return `${what}: not a path`;
  return undefined;
}

/** The container at `at` minus its last step, if the value there is a null to replace. */
function slotAt(root: unknown, at: Path): { parent: unknown; key: string | number } | undefined {
  if (at.length === 0) return root === null ? { parent: undefined, key: "" } : undefined;
  let node = root;
  for (let i = 0; i < at.length - 1; i++) {
    const step = at[i]!;
    if (Array.isArray(node) ? typeof step !== "number" : !isRecord(node)) return undefined;
    if (!Object.hasOwn(node as object, step)) return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  const key = at[at.length - 1]!;
  if (Array.isArray(node) ? typeof key !== "number" : !isRecord(node)) return undefined;
  if (!Object.hasOwn(node as object, key)) return undefined;
  if ((node as Record<string | number, unknown>)[key] !== null) return undefined;
  return { parent: node, key };
}

/**
 * Checks a frame's envelope without materialising its arrays: what the server does with every
 * binary frame before relaying it. Never throws.
 */
export function inspectFrame(bytes: Uint8Array, limits: FrameLimits): Inspected {
  if (bytes.byteLength > limits.maxFrameBytes)
    return fail(
      `binary frame of ${bytes.byteLength} bytes, over the ${limits.maxFrameBytes}-byte limit`,
    );
  if (bytes.byteLength < PREFIX_BYTES)
    return fail(`binary frame of ${bytes.byteLength} bytes is too short`);
  const prefix = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES);
  if (prefix.getUint8(0) !== FRAME_MAGIC) return fail("binary frame is not a room frame");
  if (prefix.getUint8(1) !== FRAME_VERSION)
    return fail(`binary frame version ${prefix.getUint8(1)}`);
  if (prefix.getUint8(2) !== FRAME_TRAINING)
    return fail(`unknown frame kind ${prefix.getUint8(2)}`);
  const headerLength = prefix.getUint32(8, true);
  if (headerLength > limits.maxHeaderBytes)
    return fail(
      `frame header of ${headerLength} bytes, over the ${limits.maxHeaderBytes}-byte limit`,
    );
  if (PREFIX_BYTES + headerLength > bytes.byteLength)
    return fail("frame header runs past the frame");

  let header: unknown;
  try {
    const json = new TextDecoder("utf-8", { fatal: true }).decode(
      bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength),
    );
    header = JSON.parse(json);
  } catch {
    return fail("frame header is not UTF-8 JSON");
  }
  if (!isRecord(header) || !Array.isArray(header.arrays) || !Array.isArray(header.numbers))
    return fail("frame header lacks its arrays and numbers");
  if (!Object.hasOwn(header, "value")) return fail("frame header has no value");
  if (Object.keys(header).length !== 3) return fail("frame header has unknown fields");
  if (header.arrays.length > MAX_ARRAYS) return fail(`more than ${MAX_ARRAYS} arrays`);
  if (header.numbers.length > MAX_ARRAYS) return fail(`more than ${MAX_ARRAYS} special numbers`);

  const bodyStart = align(PREFIX_BYTES + headerLength);
  const bodyLength = bytes.byteLength - bodyStart;
  // Each path is filled once: a second entry for it would find no null left there.
  const paths = new Set<string>();
  const once = (at: Path) => {
    const key = JSON.stringify(at);
    if (paths.has(key)) return false;
    paths.add(key);
    return true;
  };
  let end = 0;
  for (const [i, entry] of header.arrays.entries()) {
    if (!isRecord(entry) || Object.keys(entry).length !== 4) return fail(`array ${i}: malformed`);
    const problem = checkPath(entry.at, `array ${i}`);
    if (problem) return fail(problem);
    const type = entry.type;
    if (typeof type !== "string" || !Object.hasOwn(TYPES, type))
      return fail(`array ${i}: unknown type ${JSON.stringify(type)?.slice(0, 16)}`);
    const { offset, length } = entry;
    if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0 || offset % ALIGN)
      return fail(`array ${i}: bad offset`);
    if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0)
      return fail(`array ${i}: bad length`);
    // Arrays lie in order, without overlapping: each starts at or after the previous one's end.
    if (offset < align(end)) return fail(`array ${i}: overlaps the one before`);
    end = offset + length * TYPES[type as ArrayType].BYTES_PER_ELEMENT;
    if (end > bodyLength) return fail(`array ${i}: runs past the frame`);
    if (!slotAt(header.value, entry.at as Path) || !once(entry.at as Path))
      return fail(`array ${i}: its path holds no null`);
  }
  if (bodyLength < 0 || end !== bodyLength)
    return fail(`frame of ${bytes.byteLength} bytes, its arrays need ${bodyStart + end}`);
  for (const [i, entry] of header.numbers.entries()) {
    if (!isRecord(entry) || Object.keys(entry).length !== 2) return fail(`number ${i}: malformed`);
    const problem = checkPath(entry.at, `number ${i}`);
    if (problem) return fail(problem);
    if (typeof entry.value !== "string" || !Object.hasOwn(SPECIAL_NUMBERS, entry.value))
      return fail(`number ${i}: not NaN or ±Infinity`);
    if (!slotAt(header.value, entry.at as Path) || !once(entry.at as Path))
      return fail(`number ${i}: its path holds no null`);
  }
  return {
    ok: true,
    frame: { peer: prefix.getUint32(4, true), header: header as unknown as FrameHeader, bodyStart },
  };
}

export type Decoded = { ok: true; peer: number; message: unknown } | { ok: false; reason: string };

/**
 * Inspects and rebuilds a frame's message. Arrays view the frame's own buffer where it is
 * aligned for them (so a received ArrayBuffer is not copied) and are copied where it is not.
 */
export function decodeFrame(data: ArrayBuffer | Uint8Array, limits: FrameLimits): Decoded {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const inspected = inspectFrame(bytes, limits);
  if (!inspected.ok) return inspected;
  const { peer, header, bodyStart } = inspected.frame;
  let root = header.value;
  const put = (at: Path, value: unknown) => {
    if (at.length === 0) {
      root = value;
      return;
    }
    const slot = slotAt(root, at)!;
    Object.defineProperty(slot.parent, slot.key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  };
  // Numbers first: an array's path never runs through a number, and a root array replaces all.
  for (const entry of header.numbers) put(entry.at, SPECIAL_NUMBERS[entry.value]);
  for (const entry of header.arrays) {
    const Type = TYPES[entry.type];
    const start = bytes.byteOffset + bodyStart + entry.offset;
    const view =
      start % Type.BYTES_PER_ELEMENT === 0
        ? new Type(bytes.buffer as ArrayBuffer, start, entry.length)
        : new Type(
            bytes.slice(
              bodyStart + entry.offset,
              bodyStart + entry.offset + entry.length * Type.BYTES_PER_ELEMENT,
            ).buffer,
          );
    put(entry.at, view);
  }
  return { ok: true, peer, message: root };
}

/** Rewrites the peer field in place: the server stamps each member's frames with its id. */
export function setFramePeer(bytes: Uint8Array, peer: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES).setUint32(4, peer, true);
}
