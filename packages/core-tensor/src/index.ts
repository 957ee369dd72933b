/** @facelab/core-tensor: the shared neural-network core — the tfjs engine and its backends, layers, losses, trainer. */
export * from './browser.js';

// Node only (files, processes, native modules).
// Backends in Node: tensorflow-gpu, tensorflow, webgpu (Dawn), onednn, onnxruntime, wasm, cpu.
export { initBackend, BACKEND_ORDER, type BackendName } from './backend/init.js';
// Training: the trainer, checkpoints, progress and logs (schedules and gradient transforms are in browser.ts).
export {
  train,
  type TrainOptions,
  type TrainResult,
  type StepOutput,
  type StepContext,
  type MinimizeOptions,
  type TrainerControl,
  type TrainerCallbacks,
  type ValidationOptions,
  type EpochData,
  type StopReason,
} from './train/trainer.js';
export { trainRunOptions, type TrainRunOptions } from './train/run-options.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  latestCheckpoint,
  listCheckpoints,
  checkpointFileName,
  checkpointStepOf,
  removeStaleTemps,
  type LoadedCheckpoint,
} from './train/checkpoint-file.js';
export { JsonlLog, readJsonl, type StepRecord } from './train/log.js';
export {
  TrainingProgress,
  formatDuration,
  formatProgressValues,
  type TrainingProgressOptions,
  type ProgressValues,
} from './train/progress.js';
// Model directories.
export { fileSystemIO, MODEL_JSON_FILE, MODEL_WEIGHTS_FILE } from './io/model-dir.js';
export { loadModelDir } from './io/load-model-dir.js';

// ONNX: export to a model file, and inference of the exported graph on onnxruntime-node.
export {
  exportOnnx,
  saveOnnx,
  ONNX_LAYER_CONVERTERS,
  type ExportOnnxOptions,
  type OnnxExport,
  type OnnxSignature,
} from './onnx-export/export.js';
export { ExportContext, type Layout, type Shape as OnnxExportShape, type Value as OnnxExportValue } from './onnx-export/context.js';
export type { LayerConverter } from './onnx-export/converter.js';
export {
  createInferenceSession,
  checkInferenceRuntime,
  runtimePredictor,
  type InferenceRuntime,
  type RuntimePredictor,
  type RuntimePredictorOptions,
  type InferenceSession,
  type InferenceSessionOptions,
  type PredictBatchOptions,
} from './onnx-export/inference-session.js';
