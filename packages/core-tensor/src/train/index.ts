// Public API of src/train: the trainer, schedules, gradient transforms, checkpoints, progress, logs and curves.
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
} from './trainer.js';
export { constantLr, stepLr, cosineLr, polynomialLr, type LrSchedule } from './schedules.js';
export { globalNorm, clipByGlobalNorm, addWeightDecay } from './gradients.js';
export { setOptimizerLearningRate, captureOptimizerState, restoreOptimizerState } from './optimizer-state.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  latestCheckpoint,
  listCheckpoints,
  checkpointFileName,
  type LoadedCheckpoint,
} from './checkpoint-file.js';
export { JsonlLog, readJsonl, type StepRecord } from './log.js';
export { saveTrainingCurves } from './curves.js';
export {
  TrainingProgress,
  formatDuration,
  formatProgressValues,
  type TrainingProgressOptions,
  type ProgressValues,
} from './progress.js';
