/** @facelab/runtime: what every facelab package needs without TensorFlow.js — the configuration object `env`, seeds, checks, crash-safe files, CSV, ONNX models, TensorFlow checkpoints, native float64 GEMM. */
export { env, applyEnvironment, type FacelabEnv } from './env.js';
export { Rng, mulberry32 } from './random.js';
export { mixSeed, layerSeed } from './seeds.js';
export { checkPositiveInt } from './checks.js';
export { writeFileAtomic, replaceFileAtomic, ATOMIC_TEMP_PATTERN, type AtomicData } from './atomic.js';
export { atLine, messageOf } from './errors.js';
export { decimalNumber } from './numbers.js';
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
export { ProtoWriter, readFields, readVarint, pbString, pbInts, WIRE, type PbField } from './onnx/protobuf.js';
export { crc32c, maskCrc32c } from './tf-checkpoint/crc32c.js';
export { readSstable, type SstableEntry } from './tf-checkpoint/sstable.js';
export {
  readTfCheckpoint,
  decodeTfCheckpoint,
  tfCheckpointFiles,
  type TfCheckpointTensor,
} from './tf-checkpoint/bundle.js';
export {
  parseOnnxModel,
  type ParsedOnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxAttribute,
} from './onnx/model.js';
export { OnnxGraph, ONNX_TYPE, type OnnxDtype, type OnnxAttr, type OnnxDim } from './onnx/graph.js';
export {
  loadOnnxRuntime,
  onnxThreads,
  onnxRuntimeStats,
  runGraph,
  openOnnxSession,
  type OnnxValue,
  type OnnxModelSession,
  type OnnxSessionOptions,
} from './onnx/session.js';
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
