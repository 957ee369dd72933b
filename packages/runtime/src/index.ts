/** @facelab/runtime: what every facelab package needs without TensorFlow.js — the configuration object `env`, seeds, checks, crash-safe files, CSV, ONNX models, TensorFlow checkpoints, native float64 GEMM. */
export * from './browser.js';

// Node only (files, processes, native modules).
export { writeFileAtomic, replaceFileAtomic, ATOMIC_TEMP_PATTERN, type AtomicData } from './atomic.js';
export { resolveInside, PathOutsideRootError, type ResolveInsideOptions } from './paths.js';
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
export {
  readTfCheckpoint,
  decodeTfCheckpoint,
  tfCheckpointFiles,
  type TfCheckpointTensor,
} from './tf-checkpoint/bundle.js';
export { loadOnnxRuntime, onnxThreads, onnxRuntimeStats, runGraph, type OnnxValue } from './onnx/session.js';
// These two names shadow browser.ts's (which there always answer 'no native engine'): here they run onnxruntime-node.
export { nativeGemmF64, nativeGemmF64Available, type NativeGemmF64Options } from './onnx/gemm-f64.js';
export {
  createProgram,
  runProgram,
  packageVersion,
  printResult,
  UsageError,
  EXIT_USAGE,
  EXIT_FAILURE,
  parseInteger,
  parseNumber,
  parseIntegerList,
  parsePath,
  stepsOption,
  batchSizeOption,
  seedOption,
  outOption,
  backendOption,
  jsonOption,
  Command,
  Option,
  InvalidArgumentError,
  type ProgramOptions,
} from './cli.js';
