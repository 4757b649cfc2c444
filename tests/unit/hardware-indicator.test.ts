import { describe, expect, it } from "vitest";
import { chooseBackend, isSoftwareRenderer, shortRenderer } from "../../src/ml/backend-choice.ts";
import { describeBackend } from "../../src/ui/hardware-indicator.ts";
import { formatBytes } from "../../src/ui/format.ts";

const SWIFTSHADER =
  "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)";

describe("the hardware indicator", () => {
  it("never calls a software renderer a GPU", () => {
    const { label, detail } = describeBackend({
      backend: "webgl",
      renderer: SWIFTSHADER,
      software: isSoftwareRenderer(SWIFTSHADER),
    });
    expect(label).toBe("WebGL · software");
    expect(detail).toContain("software renderer, not a GPU");
    expect(detail).toContain("SwiftShader");
  });

  it("recognises software renderers by name", () => {
    expect(isSoftwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)")).toBe(true);
    expect(isSoftwareRenderer("ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)")).toBe(false);
  });

  it("marks a fallback and says why", () => {
    const { label, detail } = describeBackend({
      backend: "wasm",
      renderer: "",
      software: false,
      fallbackReason: "WebGL context lost",
    });
    expect(label).toBe("wasm · fallback");
    expect(detail).toContain("fell back: WebGL context lost");
  });

  it("says when TensorFlow.js is not loaded yet", () => {
    expect(describeBackend({ backend: "", renderer: "", software: false }).label).toBe(
      "TF.js idle",
    );
    const loading = describeBackend({ backend: "", renderer: "", software: false, loading: true });
    expect(loading.label).toBe("TF.js loading…");
  });
});

const LLVMPIPE = "llvmpipe (LLVM 15.0.6, 256 bits)";
const WARP = "ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)";
const NVIDIA =
  "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)";
const ALL = ["webgl", "wasm", "cpu"] as const;

describe("choosing the backend by hardware", () => {
  it("computes on WebGL when the renderer is a GPU", () => {
    const choice = chooseBackend({ renderer: NVIDIA, available: ALL });
    expect(choice.order).toEqual(["webgl", "wasm", "cpu"]);
    expect(choice.reason).toMatch(/GPU found \(NVIDIA/);
    expect(choice.notice).toBeUndefined();
  });

  it.each([SWIFTSHADER, LLVMPIPE, WARP, "Google SwiftShader", "Software Rasterizer"])(
    "computes on wasm when WebGL is a software renderer: %s",
    (renderer) => {
      const choice = chooseBackend({ renderer, available: ALL });
      expect(choice.order).toEqual(["wasm", "webgl", "cpu"]);
      expect(choice.reason).toMatch(/software renderer .* not a GPU/);
    },
  );

  it("names the software renderer briefly", () => {
    expect(shortRenderer(SWIFTSHADER)).toBe("SwiftShader");
    expect(shortRenderer(WARP)).toBe("Basic Render");
    expect(shortRenderer(NVIDIA)).toBe("NVIDIA NVIDIA GeForce RTX 3060");
  });

  it("computes on wasm without WebGL, and on cpu without wasm", () => {
    expect(chooseBackend({ renderer: null, available: ["wasm", "cpu"] }).order).toEqual([
      "wasm",
      "cpu",
    ]);
    expect(chooseBackend({ renderer: null, available: ["cpu"] }).order).toEqual(["cpu"]);
  });

  it("never chooses WebGPU by itself, but honours ?backend=webgpu where it exists", () => {
    const available = ["webgl", "wasm", "cpu", "webgpu"] as const;
    expect(chooseBackend({ renderer: NVIDIA, available }).order[0]).toBe("webgl");
    const forced = chooseBackend({ renderer: NVIDIA, available, forced: "webgpu" });
    expect(forced.order).toEqual(["webgpu", "webgl", "wasm", "cpu"]);
    expect(forced.reason).toBe("forced by ?backend=webgpu");
  });

  it("lets ?backend= force WebGL on a software renderer, keeping the others as fallbacks", () => {
    const choice = chooseBackend({ renderer: SWIFTSHADER, available: ALL, forced: "WebGL" });
    expect(choice.order).toEqual(["webgl", "wasm", "cpu"]);
    expect(choice.reason).toBe("forced by ?backend=webgl");
    expect(choice.notice).toBeUndefined();
  });

  it("says so when ?backend= names no backend, and chooses by hardware", () => {
    const choice = chooseBackend({ renderer: SWIFTSHADER, available: ALL, forced: "bogus" });
    expect(choice.order).toEqual(["wasm", "webgl", "cpu"]);
    expect(choice.notice).toMatch(/\?backend=bogus is not a TensorFlow.js backend/);
    expect(choice.notice).toMatch(/webgl, wasm, cpu, webgpu/);
    expect(choice.notice).toMatch(/computing on wasm instead/);
  });

  it("says so when the forced backend is missing from this browser", () => {
    const choice = chooseBackend({ renderer: NVIDIA, available: ALL, forced: "webgpu" });
    expect(choice.order[0]).toBe("webgl");
    expect(choice.notice).toMatch(/\?backend=webgpu is not available in this browser/);
  });
});

describe("the indicator says why", () => {
  it("shows wasm chosen for want of a GPU", () => {
    const { label, detail } = describeBackend({
      backend: "wasm",
      renderer: SWIFTSHADER,
      software: true,
      reason: chooseBackend({ renderer: SWIFTSHADER, available: ALL }).reason,
    });
    expect(label).toBe("wasm · no GPU");
    expect(detail).toContain("why: WebGL here is a software renderer (SwiftShader)");
    expect(detail).not.toMatch(/backend: wasm \(GPU/);
  });
});

describe("formatBytes", () => {
  it("uses binary units with one decimal below 100", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(920384)).toBe("899 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
});
