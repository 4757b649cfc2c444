/** `flowdeck/quantize`: affine 8/16-bit quantization and error feedback. */
export * from "../ml/quantize/affine.ts";
export * from "../ml/quantize/error-feedback.ts";
