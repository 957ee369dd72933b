/** @facelab/runtime for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
export { env, applyEnvironment, processVariables, withLoadTimeVariable, type FacelabEnv } from './env.js';
export { Rng, mulberry32 } from './random.js';
export { mixSeed, layerSeed } from './seeds.js';
export { checkPositiveInt } from './checks.js';
export { atLine, messageOf } from './errors.js';
export { decimalNumber } from './numbers.js';
export { ProtoWriter, readFields, readVarint, pbString, pbInts, WIRE, type PbField } from './onnx/protobuf.js';
export { crc32c, maskCrc32c } from './tf-checkpoint/crc32c.js';
export { readSstable, type SstableEntry } from './tf-checkpoint/sstable.js';
export {
  parseOnnxModel,
  type ParsedOnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxAttribute,
} from './onnx/model.js';
export { OnnxGraph, ONNX_TYPE, type OnnxDtype, type OnnxAttr, type OnnxDim } from './onnx/graph.js';
export { nativeGemmF64, nativeGemmF64Available } from './onnx/gemm-f64-browser.js';
export type { NativeGemmF64Options } from './onnx/gemm-f64-args.js';
