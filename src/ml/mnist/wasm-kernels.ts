/**
 * TensorFlow.js 4.22's wasm backend has no `Conv2DBackpropFilter` kernel (the gradient of a
 * convolution with respect to its filter), so a convolutional network cannot train there. It
 * does have `Conv3DBackpropFilterV2`, and a 2-D convolution is a 3-D one of depth 1: this
 * registers the missing kernel as that, with the inputs reshaped to depth 1 (reshapes share the
 * data; nothing is copied). Registering is global and idempotent; it is a no-op when the wasm
 * backend is not loaded or already has the kernel.
 */
import type * as TF from "@tensorflow/tfjs";

type Tf = typeof TF;
type TensorInfo = TF.TensorInfo;
type KernelArgs = Parameters<TF.KernelFunc>[0];
interface Backend {
  disposeData(dataId: object): boolean;
}

const NAME = "Conv2DBackpropFilter";

export function ensureWasmConvGradient(tf: Tf): void {
  if (tf.getKernel(NAME, "wasm")) return;
  const reshape = tf.getKernel("Reshape", "wasm")?.kernelFunc;
  const conv3d = tf.getKernel("Conv3DBackpropFilterV2", "wasm")?.kernelFunc;
  if (!reshape || !conv3d) return;
  const one = (result: TensorInfo | TensorInfo[]): TensorInfo =>
    Array.isArray(result) ? result[0]! : result;

  tf.registerKernel({
    kernelName: NAME,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }: KernelArgs) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, filterShape } =
        attrs as unknown as TF.Conv2DBackpropFilterAttrs;
      if (dataFormat === "NCHW" || (pad !== "valid" && pad !== "same")) {
        throw new Error(`${NAME} on wasm: only NHWC with "valid" or "same" padding`);
      }
      const [sh, sw] = typeof strides === "number" ? [strides, strides] : strides;
      const [n, h, w, c] = x.shape as [number, number, number, number];
      const [, oh, ow, f] = dy.shape as [number, number, number, number];
      const [kh, kw] = filterShape;
      const x5 = one(reshape({ inputs: { x }, backend, attrs: { shape: [n, 1, h, w, c] } }));
      const dy5 = one(reshape({ inputs: { x: dy }, backend, attrs: { shape: [n, 1, oh, ow, f] } }));
      const dw5 = one(
        conv3d({
          inputs: { x: x5, dy: dy5 },
          backend,
          attrs: { strides: [1, sh, sw], pad, filterShape: [1, kh, kw, c, f] },
        }),
      );
      const dw = one(reshape({ inputs: { x: dw5 }, backend, attrs: { shape: filterShape } }));
      const b = backend as Backend;
      for (const t of [x5, dy5, dw5]) b.disposeData(t.dataId);
      return dw;
    },
  });
}
