/**
 * Loads TensorFlow.js when a cell first needs it and chooses its backend once per page:
 * WebGL, else wasm, else cpu (`?backend=` forces one). If the WebGL context is lost mid-talk,
 * the page moves to the next backend and tells its listeners, so cells can re-run there.
 */
import type * as TF from "@tensorflow/tfjs";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreaded from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";

export type Tf = typeof TF;
export const BACKENDS = ["webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendInfo {
  backend: BackendName | "";
  /** the WebGL renderer string, "" when not on WebGL */
  renderer: string;
  /** the renderer draws in software (SwiftShader, llvmpipe): not a GPU */
  software: boolean;
  /** why an earlier backend was left, if one was */
  fallbackReason?: string;
  /** TensorFlow.js is being fetched or a backend is starting */
  loading?: boolean;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

/** The order to try backends in, starting with the one asked for. */
export function backendOrder(forced?: string | null): BackendName[] {
  const first = BACKENDS.find((b) => b === forced);
  return first ? [first, ...BACKENDS.filter((b) => b !== first)] : [...BACKENDS];
}

type Listener = (info: BackendInfo) => void;

export class TensorFlowHost {
  #forced: string | null;
  #tf: Promise<Tf> | undefined;
  #loaded: Tf | undefined;
  #info: BackendInfo = { backend: "", renderer: "", software: false };
  /** true while a backend initialises: TensorFlow.js throws on most calls then */
  #switching = false;
  #listeners = new Set<Listener>();

  constructor(forced: string | null = null) {
    this.#forced = forced;
  }

  get info(): BackendInfo {
    return this.#info;
  }

  /** `tf.memory()` once a backend runs; zeros before, and while a backend is being switched. */
  memory(): { numTensors: number; numBytes: number } {
    const tf = this.#loaded;
    if (!tf || this.#switching) return { numTensors: 0, numBytes: 0 };
    const { numTensors, numBytes } = tf.memory();
    return { numTensors, numBytes };
  }

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  load(): Promise<Tf> {
    if (!this.#tf) {
      // About a megabyte of script and a backend to start: say so while it happens.
      this.#info = { ...this.#info, loading: true };
      for (const listener of this.#listeners) listener(this.#info);
      this.#tf = this.#load();
    }
    return this.#tf;
  }

  async #load(): Promise<Tf> {
    const [tf, wasm] = await Promise.all([
      import("@tensorflow/tfjs"),
      import("@tensorflow/tfjs-backend-wasm"),
    ]);
    wasm.setWasmPaths({
      "tfjs-backend-wasm.wasm": wasmPlain,
      "tfjs-backend-wasm-simd.wasm": wasmSimd,
      "tfjs-backend-wasm-threaded-simd.wasm": wasmThreaded,
    });
    this.#loaded = tf;
    // Shapes as uniforms: one compiled program serves every size of an op, which spares a
    // software renderer most of its (slow, main-thread) shader compiles.
    tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
    await this.#choose(tf, backendOrder(this.#forced));
    return tf;
  }

  async #choose(tf: Tf, order: BackendName[], reason?: string): Promise<void> {
    this.#switching = true;
    try {
      await this.#tryInOrder(tf, order, reason);
    } finally {
      this.#switching = false;
    }
  }

  async #tryInOrder(tf: Tf, order: BackendName[], reason?: string): Promise<void> {
    const failures: string[] = reason ? [reason] : [];
    for (const name of order) {
      if (name === "webgl" && !provideWebGLContext(tf)) {
        failures.push("WebGL is not available in this browser");
        continue;
      }
      try {
        if (await tf.setBackend(name)) {
          await tf.ready();
          this.#switching = false;
          this.#settle(tf, name, failures);
          return;
        }
        failures.push(`${name} unavailable`);
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new Error(`No TensorFlow.js backend could start (${failures.join("; ")})`);
  }

  #settle(tf: Tf, name: BackendName, failures: string[]): void {
    const gl = name === "webgl" ? webglContext(tf) : undefined;
    const renderer = gl ? rendererOf(gl) : "";
    this.#info = {
      backend: name,
      renderer,
      software: isSoftwareRenderer(renderer),
      ...(failures.length ? { fallbackReason: failures.join("; ") } : {}),
    };
    if (gl) this.#watchContext(tf, gl);
    for (const listener of this.#listeners) listener(this.#info);
  }

  #watchContext(tf: Tf, gl: WebGLRenderingContext): void {
    const canvas = gl.canvas;
    const onLost = (event: Event) => {
      event.preventDefault();
      canvas.removeEventListener("webglcontextlost", onLost);
      const next = BACKENDS.filter((b) => b !== "webgl");
      // A lost context takes every WebGL tensor with it: drop the backend and start afresh.
      tf.removeBackend("webgl");
      void this.#choose(tf, next, "WebGL context lost");
    };
    canvas.addEventListener("webglcontextlost", onLost);
  }

  /** Test hook: loses the WebGL context the way a crashed GPU driver would. */
  loseWebGLContext(): boolean {
    const tf = this.#loaded;
    const gl = tf && this.#info.backend === "webgl" ? webglContext(tf) : undefined;
    const extension = gl?.getExtension("WEBGL_lose_context");
    extension?.loseContext();
    return !!extension;
  }
}

/** The context attributes TensorFlow.js asks for itself. */
const TF_CONTEXT: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  premultipliedAlpha: false,
  preserveDrawingBuffer: false,
  depth: false,
  stencil: false,
  failIfMajorPerformanceCaveat: true,
};

/**
 * Creates the WebGL context TensorFlow.js will use, on an ordinary canvas. Chromium started
 * with --disable-webgl still hands out WebGL on OffscreenCanvas (which TensorFlow.js would pick),
 * so only a page-level canvas tells whether the page may use WebGL; handing that same context to
 * TensorFlow.js avoids creating a second one (about 100 ms on a software renderer).
 */
function provideWebGLContext(tf: Tf): boolean {
  const canvas = document.createElement("canvas");
  const gl2 = canvas.getContext("webgl2", TF_CONTEXT);
  if (gl2) {
    tf.setWebGLContext(2, gl2);
    return true;
  }
  const gl1 = canvas.getContext("webgl", TF_CONTEXT);
  if (gl1) tf.setWebGLContext(1, gl1);
  return !!gl1;
}

function webglContext(tf: Tf): WebGLRenderingContext | undefined {
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
  return backend.gpgpu?.gl;
}

function rendererOf(gl: WebGLRenderingContext): string {
  const debug = gl.getExtension("WEBGL_debug_renderer_info");
  const value: unknown = debug
    ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)
    : gl.getParameter(gl.RENDERER);
  return typeof value === "string" ? value : "";
}
