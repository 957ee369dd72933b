/** @facelab/core-tensor: the shared core of every facelab package. */
export { tf } from './tf.js';
export { initBackend, BACKEND_ORDER, type BackendName } from './backend/init.js';
export { onnxRuntimeStats } from './backend/onnxruntime/index.js';
export { nativeGemmF64, nativeGemmF64Available, type NativeGemmF64Options } from './backend/onnxruntime/gemm-f64.js';
export { Rng, mulberry32 } from './random.js';
export * from './layers/index.js';
export * from './losses/index.js';
export * from './metrics/index.js';
export * from './train/index.js';
export * from './io/index.js';
export * from './plot/index.js';
export * from './data/index.js';
export * from './synth/index.js';
