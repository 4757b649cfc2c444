/**
 * Reads the WebGL renderer string off the main thread: making a WebGL context blocks its thread
 * (250–500 ms on a software renderer here), and the page only needs the name to decide.
 * Answers one message, the renderer or null when no WebGL context could be made.
 */
function renderer(): string | null {
  if (typeof OffscreenCanvas === "undefined") return null;
  const canvas = new OffscreenCanvas(1, 1);
  const gl = (canvas.getContext("webgl2") ??
    canvas.getContext("webgl")) as WebGLRenderingContext | null;
  if (!gl) return null;
  const debug = gl.getExtension("WEBGL_debug_renderer_info");
  const value: unknown = debug
    ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)
    : gl.getParameter(gl.RENDERER);
  gl.getExtension("WEBGL_lose_context")?.loseContext();
  return typeof value === "string" ? value : "";
}

postMessage({ renderer: renderer() });
