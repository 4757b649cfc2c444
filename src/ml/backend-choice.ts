/**
 * Which TensorFlow.js backend a page starts on, decided from what the hardware is: a pure
 * function of the WebGL renderer string, the backends this browser has and `?backend=`.
 *
 * WebGL wins on a real GPU. A software renderer (SwiftShader, llvmpipe, Microsoft's Basic Render
 * Driver) runs every shader on the CPU, where the wasm backend is 5–10× faster (measured here:
 * a 512×512 matMul at ~20 GFLOP/s on wasm against ~3 on WebGL/SwiftShader). WebGPU is never the
 * default: in TensorFlow.js 4.22 it is slower than WebGL for models of a talk's size and warms
 * up slower, so it is only used when asked for.
 */

/** Every backend `?backend=` may name. */
export const BACKEND_NAMES = ["webgl", "wasm", "cpu", "webgpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

export interface BackendQuestion {
  /** the WebGL renderer string; null when the page cannot have WebGL */
  renderer: string | null;
  /** backends this browser could start (WebGL only with a renderer, WebGPU with navigator.gpu) */
  available: readonly BackendName[];
  /** the raw `?backend=` value, if any */
  forced?: string | null;
}

export interface BackendChoice {
  /** backends to try, best first; later ones are fallbacks if an earlier one fails to start */
  order: BackendName[];
  /** why the first one, in words for the indicator */
  reason: string;
  /** something the reader should be told at once (a `?backend=` that cannot be honoured) */
  notice?: string;
}

/** The order to fall back in when nothing is forced and there is a GPU. */
const GPU_ORDER: readonly BackendName[] = ["webgl", "wasm", "cpu"];
/** No GPU: the CPU is doing the work whatever the backend, and wasm does it fastest. */
const CPU_ORDER: readonly BackendName[] = ["wasm", "webgl", "cpu"];

export function chooseBackend({ renderer, available, forced }: BackendQuestion): BackendChoice {
  const has = (name: BackendName) => available.includes(name);
  const hardware = byHardware(renderer, has);
  const asked = forced?.trim().toLowerCase() ?? "";
  if (!asked) return hardware;
  const known = BACKEND_NAMES.find((name) => name === asked);
  if (!known) {
    return {
      ...hardware,
      notice:
        `?backend=${forced} is not a TensorFlow.js backend (use one of ${BACKEND_NAMES.join(", ")}): ` +
        `computing on ${hardware.order[0]} instead, chosen for this machine.`,
    };
  }
  if (!has(known)) {
    return {
      ...hardware,
      notice: `?backend=${known} is not available in this browser: computing on ${hardware.order[0]} instead.`,
    };
  }
  return {
    order: [known, ...hardware.order.filter((name) => name !== known)],
    reason: `forced by ?backend=${known}`,
  };
}

function byHardware(renderer: string | null, has: (name: BackendName) => boolean): BackendChoice {
  const pick = (order: readonly BackendName[], reason: string): BackendChoice => ({
    order: order.filter(has),
    reason,
  });
  if (renderer === null || !has("webgl"))
    return pick(CPU_ORDER, "no WebGL in this browser: wasm is the fastest on the CPU");
  if (isSoftwareRenderer(renderer))
    return pick(
      CPU_ORDER,
      `WebGL here is a software renderer (${shortRenderer(renderer)}), not a GPU: wasm is faster on the CPU`,
    );
  return pick(GPU_ORDER, `GPU found (${shortRenderer(renderer) || "unnamed renderer"})`);
}

/** "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) …)" → "SwiftShader" and the like. */
export function shortRenderer(renderer: string): string {
  const software = SOFTWARE_RENDERER.exec(renderer);
  if (software) return software[0];
  const angle = /^ANGLE \(([^,]+),\s*([^,(]+)/.exec(renderer);
  return angle ? `${angle[1]!.trim()} ${angle[2]!.trim()}` : renderer.trim();
}
