/** `flowdeck/mnist`: the MNIST data, the digit network, its training and its shipped weights. */
export * from "../ml/mnist/idx.ts";
export * from "../ml/mnist/load.ts";
export * from "../ml/mnist/model.ts";
export * from "../ml/mnist/preprocess.ts";
export * from "../ml/mnist/split.ts";
export * from "../ml/mnist/store.ts";
export * from "../ml/mnist/train.ts";
export * from "../ml/mnist/wasm-kernels.ts";
