import { describe, expect, it } from "vitest";
import { backendOrder, isSoftwareRenderer } from "../../src/ml/backend.ts";
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

describe("backend order", () => {
  it("tries WebGL, wasm, cpu, with a forced backend first", () => {
    expect(backendOrder()).toEqual(["webgl", "wasm", "cpu"]);
    expect(backendOrder("cpu")).toEqual(["cpu", "webgl", "wasm"]);
    expect(backendOrder("nonsense")).toEqual(["webgl", "wasm", "cpu"]);
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
