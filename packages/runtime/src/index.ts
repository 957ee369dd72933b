/** @facelab/runtime: what every facelab package needs without TensorFlow.js — the configuration object `env`, seeds, crash-safe files, CSV, native float64 GEMM. */
export { env, applyEnvironment, type FacelabEnv } from './env.js';
export { Rng, mulberry32 } from './random.js';
export { layerSeed } from './seeds.js';
export { writeFileAtomic, ATOMIC_TEMP_PATTERN, type AtomicData } from './atomic.js';
export { atLine, messageOf } from './errors.js';
export {
  readCsv,
  readCsvRows,
  csvNumber,
  writeCsv,
  formatCsv,
  type ReadCsvOptions,
  type CsvRow,
  type CsvTable,
} from './csv.js';
export { ProtoWriter } from './onnx/protobuf.js';
export { OnnxGraph, ONNX_TYPE, type OnnxDtype, type OnnxAttr } from './onnx/graph.js';
export { loadOnnxRuntime, onnxThreads, onnxRuntimeStats, runGraph, type OnnxValue } from './onnx/session.js';
export { nativeGemmF64, nativeGemmF64Available, type NativeGemmF64Options } from './onnx/gemm-f64.js';
