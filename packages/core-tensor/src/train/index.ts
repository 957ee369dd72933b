// Public API of src/train: the trainer, schedules, checkpoints, progress and logs.
export {
  TrainingProgress,
  formatDuration,
  formatProgressValues,
  type TrainingProgressOptions,
  type ProgressValues,
} from './progress.js';
