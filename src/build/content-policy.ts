/**
 * The pages' Content-Security-Policy, as a `<meta>` in every HTML page the build writes (and in
 * dev). Readers run code they did not write (a colleague's link, a shared file, once they accept
 * it); the policy keeps that code from sending anything beyond the page's own origin (fetch,
 * beacons, images, WebSockets to another host) and from loading scripts, frames or objects from
 * elsewhere. The room server serves the site itself, so its WebSocket is on the same origin.
 *
 * What it must allow, and why:
 * - 'unsafe-eval': a reader's edit is compiled in the page and run as a function;
 * - 'wasm-unsafe-eval': TensorFlow.js's wasm backend;
 * - 'unsafe-inline' scripts: reveal.js writes its speaker view, with an inline script, into an
 *   about:blank window, which inherits this policy;
 * - inline styles: Observable Plot, KaTeX and CodeMirror style elements directly;
 * - blob: workers and data:/blob: images: TensorFlow.js workers, canvases turned into images.
 */
import type { Plugin } from "vite";

export const CONTENT_POLICY: Readonly<Record<string, readonly string[]>> = {
  "default-src": ["'self'"],
  "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", "blob:"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'", "data:"],
  "connect-src": ["'self'", "data:", "blob:"],
  "worker-src": ["'self'", "blob:"],
  "frame-src": ["'self'"],
  "media-src": ["'self'", "blob:"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
};

export function contentPolicyText(policy = CONTENT_POLICY): string {
  return Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(" ")}`)
    .join("; ");
}

/** Puts the policy first in every page's head, before anything it governs is loaded. */
export function contentPolicy(): Plugin {
  return {
    name: "flowdeck-content-policy",
    transformIndexHtml: {
      order: "pre",
      handler: () => [
        {
          tag: "meta",
          attrs: { "http-equiv": "Content-Security-Policy", content: contentPolicyText() },
          injectTo: "head-prepend",
        },
      ],
    },
  };
}
