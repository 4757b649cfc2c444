/**
 * Loads TensorFlow.js when a cell first needs it and chooses its backend once per page, by what
 * the hardware is (see backend-choice.ts: WebGL on a GPU, wasm on a software renderer; `?backend=`
 * forces one). If the WebGL context is lost mid-talk, the page moves to the next backend and
 * tells its listeners, so cells can re-run there.
 */
import type * as TF from "@tensorflow/tfjs";
import { WASM_FILES } from "./wasm-files.ts";
import { probeRendererOffThread } from "./renderer-probe.ts";
import {
  BACKEND_NAMES,
  chooseBackend,
  isSoftwareRenderer,
  type BackendChoice,
  type BackendName,
} from "./backend-choice.ts";

export { BACKEND_NAMES, chooseBackend, isSoftwareRenderer, type BackendName };
export type Tf = typeof TF;

export interface BackendInfo {
  backend: BackendName | "";
  /** the WebGL renderer string, "" where the page has no WebGL */
  renderer: string;
  /** the renderer draws in software (SwiftShader, llvmpipe): not a GPU */
  software: boolean;
  /** why this backend was chosen */
  reason?: string;
  /** why an earlier backend was left, if one was */
  fallbackReason?: string;
  /** TensorFlow.js is being fetched or a backend is starting */
  loading?: boolean;
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
  /** the page's WebGL context, made once to read the renderer and handed to TensorFlow.js */
  #gl: { version: 1 | 2; gl: WebGLRenderingContext } | null | undefined;
  #choice: BackendChoice | undefined;
  #deciding: Promise<BackendChoice> | undefined;
  #renderer = "";

  constructor(forced: string | null = null) {
    this.#forced = forced;
  }

  /**
   * The backend this page will use and why, decided without loading TensorFlow.js (it costs a
   * WebGL context, made once). `notice` is set when `?backend=` cannot be honoured.
   */
  choice(): BackendChoice {
    if (!this.#choice) {
      const page = this.#webgl();
      this.#renderer = page ? rendererOf(page.gl) : "";
      this.#choice = chooseBackend({
        renderer: page ? this.#renderer : null,
        available: BACKEND_NAMES.filter((name) => this.#available(name)),
        forced: this.#forced,
      });
    }
    return this.#choice;
  }

  /**
   * The same choice, with the renderer's name asked of a worker first: only a GPU's renderer
   * needs the page's own context (made then, fast on a GPU); a software one computes on wasm and
   * the page makes no WebGL context, which would block the main thread for 250–500 ms here.
   */
  #decide(): Promise<BackendChoice> {
    if (this.#choice) return Promise.resolve(this.#choice);
    this.#deciding ??= (async () => {
      const named = typeof document === "undefined" ? undefined : await probeRendererOffThread();
      if (this.#choice || !named || !isSoftwareRenderer(named)) return this.choice();
      this.#renderer = named;
      this.#choice = chooseBackend({
        renderer: named,
        // WebGL stays a fallback; #tryInOrder makes the page's context only if it gets there.
        available: BACKEND_NAMES.filter((name) => name === "webgl" || this.#available(name)),
        forced: this.#forced,
      });
      return this.#choice;
    })();
    return this.#deciding;
  }

  /** `?backend=` as given, "" when absent */
  get forced(): string {
    return this.#forced ?? "";
  }

  #available(name: BackendName): boolean {
    if (name === "webgl") return !!this.#webgl();
    if (name === "webgpu") return typeof navigator !== "undefined" && "gpu" in navigator;
    if (name === "wasm") return typeof WebAssembly === "object";
    return true;
  }

  #webgl(): { version: 1 | 2; gl: WebGLRenderingContext } | null {
    if (this.#gl === undefined) this.#gl = typeof document === "undefined" ? null : pageWebGL();
    return this.#gl;
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
    const decided = this.#decide();
    const [tf, wasm] = await Promise.all([
      import("@tensorflow/tfjs"),
      import("@tensorflow/tfjs-backend-wasm"),
    ]);
    wasm.setWasmPaths(WASM_FILES);
    this.#loaded = tf;
    // Shapes as uniforms: one compiled program serves every size of an op, which spares a
    // software renderer most of its (slow, main-thread) shader compiles.
    tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
    const { order } = await decided;
    if (order.includes("webgpu")) await import("@tensorflow/tfjs-backend-webgpu");
    await this.#choose(tf, order);
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
      const gl = name === "webgl" ? this.#webgl() : null;
      if (name === "webgl") {
        if (!gl || gl.gl.isContextLost()) {
          failures.push("WebGL is not available in this browser");
          continue;
        }
        tf.setWebGLContext(gl.version, gl.gl);
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
    const choice = this.choice();
    const renderer = this.#renderer;
    this.#info = {
      backend: name,
      renderer,
      software: isSoftwareRenderer(renderer),
      reason: name === choice.order[0] ? choice.reason : `${name}: the next that could start`,
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
      const next = this.choice().order.filter((b) => b !== "webgl");
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
function pageWebGL(): { version: 1 | 2; gl: WebGLRenderingContext } | null {
  const canvas = document.createElement("canvas");
  const gl2 = canvas.getContext("webgl2", TF_CONTEXT);
  if (gl2) return { version: 2, gl: gl2 };
  const gl1 = canvas.getContext("webgl", TF_CONTEXT);
  return gl1 ? { version: 1, gl: gl1 } : null;
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
