/**
 * Error feedback for quantized gradients: what quantization rounded away in one step is added
 * back into the next step's gradient before it is quantized, so no part of the gradient is lost
 * for good, only delayed (Seide et al., 2014; Karimireddy et al., 2019).
 */
import { dequantize, quantize, type Quantized, type QuantizedBits } from "./affine.ts";

export class ErrorFeedback {
  #residual: Float32Array | undefined;

  /** Quantizes `gradient` plus the residual carried over, and keeps what was lost this time. */
  compress(gradient: Float32Array, bits: QuantizedBits): Quantized {
    const residual = (this.#residual ??= new Float32Array(gradient.length));
    if (residual.length !== gradient.length) {
      throw new RangeError(`gradient of ${gradient.length} values, residual of ${residual.length}`);
    }
    const corrected = new Float32Array(gradient.length);
    for (let i = 0; i < gradient.length; i++) corrected[i] = gradient[i]! + residual[i]!;
    const q = quantize(corrected, bits);
    const sent = dequantize(q);
    for (let i = 0; i < gradient.length; i++) residual[i] = corrected[i]! - sent[i]!;
    return q;
  }

  /** The magnitude of what is still owed (the residual's largest absolute value). */
  get owed(): number {
    let largest = 0;
    for (const r of this.#residual ?? []) largest = Math.max(largest, Math.abs(r));
    return largest;
  }

  reset(): void {
    this.#residual = undefined;
  }
}
