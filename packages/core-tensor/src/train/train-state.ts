/**
 * The trainer's state as a checkpoint stores it, and the check a resumed run makes before trusting it: every
 * field's type and range, the step against the checkpoint's file name and the run's `steps`, and a stored
 * tensor for every optimizer slot the state lists. A state that fails is an error naming the file and field.
 */
import type { tf } from '../tf.js';
import { CheckpointError } from './checkpoint-header.js';

/** What a checkpoint records about one optimizer: its class and the names of its stored slots. */
export interface OptimizerRecord {
  className: string;
  names: string[];
  extras: string[];
}

/** Everything a checkpoint stores besides tensors. */
export interface TrainState {
  step: number;
  epoch: number;
  batchInEpoch: number;
  rngState: number;
  dataRngState: number;
  /** The data stream's state when the current epoch's iterable was created, to replay it on resume. */
  epochDataRngState: number;
  best: { value: number; step: number } | null;
  sinceBest: number;
  elapsed: number;
  optimizers: Record<string, OptimizerRecord>;
}

/** What the resumed run expects of a checkpoint's state. */
export interface StateExpectations {
  /** The step the file name announces (`ckpt-<step>.flckpt`), when it has that form. */
  fileStep?: number;
  /** The run's `steps`, which the stored step may not exceed. */
  steps?: number;
  /** The run's optimizers by key. */
  optimizers: readonly string[];
  /** The checkpoint's tensors, which must hold every optimizer slot the state names. */
  tensors: ReadonlyMap<string, tf.Tensor>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isUint32 = (v: unknown): v is number => isCount(v) && v <= 0xffffffff;
const isNameList = (v: unknown): v is string[] => Array.isArray(v) && v.every((n) => typeof n === 'string');
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

function checkOptimizer(key: string, info: unknown, tensors: ReadonlyMap<string, tf.Tensor>): string | undefined {
  if (!isObject(info)) return `optimizers.${key} is ${show(info)}, not an object`;
  if (typeof info.className !== 'string') return `optimizers.${key}.className is ${show(info.className)}, not a string`;
  if (!isNameList(info.names)) return `optimizers.${key}.names is not a list of names`;
  if (!isNameList(info.extras)) return `optimizers.${key}.extras is not a list of names`;
  const missing = [
    ...info.names.map((_, i) => `optimizer/${key}/w/${i}`),
    ...info.extras.map((n) => `optimizer/${key}/x/${n}`),
  ].find((n) => !tensors.has(n));
  return missing === undefined ? undefined : `no tensor '${missing}' for optimizer '${key}'`;
}

function problem(state: unknown, expect: StateExpectations): string | undefined {
  if (!isObject(state)) return `state is ${show(state)}, not an object`;
  const s = state;
  for (const key of ['step', 'epoch', 'batchInEpoch', 'sinceBest'] as const) {
    if (!isCount(s[key])) return `${key} is ${show(s[key])}, not a non-negative integer`;
  }
  for (const key of ['rngState', 'dataRngState', 'epochDataRngState'] as const) {
    if (!isUint32(s[key])) return `${key} is ${show(s[key])}, not a 32-bit generator state`;
  }
  if (typeof s.elapsed !== 'number' || !(s.elapsed >= 0) || !Number.isFinite(s.elapsed)) {
    return `elapsed is ${show(s.elapsed)}, not a non-negative number of seconds`;
  }
  if (s.best !== null && !(isObject(s.best) && typeof s.best.value === 'number' && isCount(s.best.step))) {
    return `best is ${show(s.best)}, not null or { value, step }`;
  }
  const step = s.step as number;
  if (expect.fileStep !== undefined && step !== expect.fileStep) return `step is ${step}, but the file name says ${expect.fileStep}`;
  if (expect.steps !== undefined && step > expect.steps) return `step is ${step}, past this run's steps (${expect.steps})`;
  if (!isObject(s.optimizers)) return `optimizers is ${show(s.optimizers)}, not an object`;
  for (const key of expect.optimizers) {
    if (!(key in s.optimizers)) return `no state for optimizer '${key}'`;
    const why = checkOptimizer(key, s.optimizers[key], expect.tensors);
    if (why !== undefined) return why;
  }
  return undefined;
}

/** Throws a {@link CheckpointError} naming `path` and the field unless `state` is a usable {@link TrainState}. */
export function checkTrainState(state: unknown, path: string, expect: StateExpectations): asserts state is TrainState {
  const why = problem(state, expect);
  if (why !== undefined) throw new CheckpointError(path, `checkpoint '${path}' cannot be resumed: ${why}`);
}
