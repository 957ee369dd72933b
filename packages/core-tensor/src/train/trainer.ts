/**
 * The trainer: plain fits and custom loops (GANs, multi-loss) over a batch source, with learning-rate
 * schedules, weight decay, global-norm clipping, validation with early stopping, a progress bar, a JSONL log,
 * training curves and atomic checkpoints that resume bit-for-bit.
 */
import { unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tf } from '../tf.js';
import { env, Rng } from '@facelab/runtime';
import { disposeOptimizer } from '../backend/compat/momentum-dispose.js';
import { variableGradsReleasing } from '../backend/compat/throwing-gradients.js';
import { ensureDir } from '../io/output-dir.js';
import { addWeightDecay, clipByGlobalNorm } from './gradients.js';
import {
  checkpointFileName,
  checkpointStepOf,
  listCheckpoints,
  loadCheckpoint,
  removeStaleTemps,
  saveCheckpoint,
  type LoadedCheckpoint,
} from './checkpoint-file.js';
import { CheckpointError } from './checkpoint-header.js';
import { NonFiniteLossError } from './non-finite-loss.js';
import { checkTrainOptions } from './train-options-check.js';
import { checkTrainState, type TrainState } from './train-state.js';
import { JsonlLog, readJsonl, type StepRecord } from './log.js';
import { writeCurves } from './curves.js';
import { captureOptimizerState, restoreOptimizerState, setOptimizerLearningRate } from './optimizer-state.js';
import { TrainingProgress, type TrainingProgressOptions } from './progress.js';
import type { LrSchedule } from './schedules.js';

/** What a step returns: the loss and optional metrics, as scalars (the trainer reads and disposes them) or numbers. */
export interface StepOutput {
  loss: tf.Scalar | number;
  metrics?: Record<string, tf.Scalar | number>;
}

/** Options of {@link StepContext.minimize}. */
export interface MinimizeOptions {
  /** Which optimizer (a key of `optimizer` when several are given; default: the first). */
  optimizer?: string;
  /** Variables to update (default: every trainable weight of the models plus trainable `variables`). */
  variables?: tf.Variable[];
}

/** What a step function gets besides its batch. */
export interface StepContext {
  /** 0-based index of this step. */
  step: number;
  /** 0-based epoch. */
  epoch: number;
  /** The step's random stream (noise, masks); checkpointed, so a resumed run draws the same numbers. */
  rng: Rng;
  /** The learning rate set on each optimizer for this step. */
  lr: Record<string, number>;
  /**
   * Computes the gradients of `fn`'s loss, clips them by global norm, adds weight decay and applies them with
   * the optimizer; returns the loss and metrics as numbers. Call it once per optimizer in a custom step.
   */
  minimize(fn: () => StepOutput, opts?: MinimizeOptions): { loss: number; metrics: Record<string, number> };
}

/** Lets callbacks stop the run after the current step. */
export interface TrainerControl {
  stop(reason?: string): void;
}

/** Validation every `every` steps, with optional early stopping on `monitor`. */
export interface ValidationOptions {
  every: number;
  /** Computes validation values (e.g. `{ loss: 0.3, acc: 0.9 }`). */
  run: (info: { step: number; epoch: number }) => Record<string, number> | Promise<Record<string, number>>;
  /** The value early stopping watches (default: the first key returned). */
  monitor?: string;
  /** Whether smaller ('min', default) or larger ('max') is better. */
  mode?: 'min' | 'max';
  /** Stop after this many validations without improvement (default: never stop). */
  patience?: number;
  /** The improvement that counts (default 0). */
  minDelta?: number;
}

/** Callbacks; each may call `control.stop()`. */
export interface TrainerCallbacks {
  onStepEnd?: (record: StepRecord, control: TrainerControl) => void | Promise<void>;
  onEpochEnd?: (epoch: number, control: TrainerControl) => void | Promise<void>;
  onValidation?: (values: Record<string, number>, improved: boolean, control: TrainerControl) => void | Promise<void>;
}

/** A stream of batches for one epoch. */
export type EpochData<B> = Iterable<B> | AsyncIterable<B>;

/** Options of {@link train}. */
export interface TrainOptions<B> {
  /** Models whose weights (trainable and not) are trained by default and checkpointed. */
  model?: tf.LayersModel | Record<string, tf.LayersModel>;
  /** Variables outside any model, trained (if trainable) and checkpointed. */
  variables?: tf.Variable[];
  /** One optimizer, or several by name (GANs). */
  optimizer: tf.Optimizer | Record<string, tf.Optimizer>;
  /** Learning rate: a number or schedule, or one per optimizer name. Unset: the optimizer's own rate. */
  lr?: number | LrSchedule | Record<string, number | LrSchedule>;
  /** A plain fit: the loss of a batch, minimised over the default variables with the first optimizer. */
  loss?: (batch: B, ctx: StepContext) => StepOutput;
  /** A custom step that calls `ctx.minimize` itself (once per optimizer) and returns what to log. */
  step?: (batch: B, ctx: StepContext) => StepOutput | Promise<StepOutput>;
  /** Batches as a function of the step (data position = step). `rng` is the data stream. */
  batchAt?: (step: number, rng: Rng) => B | Promise<B>;
  /** Batches as an iterable per epoch: re-iterated each epoch, or a function of the epoch (shuffle with `rng`). */
  data?: EpochData<B> | ((epoch: number, rng: Rng) => EpochData<B>);
  /** Total steps to run (counting steps done before a resume). */
  steps?: number;
  /** Epochs to run. With `batchAt`, an epoch is `stepsPerEpoch` steps. */
  epochs?: number;
  stepsPerEpoch?: number;
  /** Seed of the step and data random streams (default 1). */
  seed?: number;
  /**
   * Dispose each batch's tensors after its step (default: true, false when `data` is an array). When the run
   * ends partway through an epoch whose batches came as an array, the batches it did not reach are disposed too.
   */
  disposeBatches?: boolean;
  /**
   * Dispose the optimizers when the run ends, whether it succeeds or fails (default false: the caller keeps
   * them). Frees momentum optimizers completely (see {@link disposeOptimizer}).
   */
  disposeOptimizers?: boolean;
  /** L2 weight decay λ added to gradients (g + λw), after clipping. */
  weightDecay?: number;
  /** Which variables weight decay applies to (default: all). */
  weightDecayFilter?: (v: tf.Variable) => boolean;
  /** Clip gradients by global norm to this value (the pre-clip norm is logged as metric `gradNorm`). */
  clipNorm?: number;
  /**
   * Which variables clipping covers (default: all): the norm is taken over their gradients and only they are
   * scaled (as PyTorch's `clip_grad_norm_(backbone.parameters())` leaves a classifier's gradients alone).
   */
  clipNormFilter?: (v: tf.Variable) => boolean;
  validation?: ValidationOptions;
  /** Checkpoint every `every` steps (and at the end) into `dir`, keeping the last `keep` (default 3). */
  checkpoint?: { dir: string; every: number; keep?: number };
  /**
   * Continue from the newest valid checkpoint in `checkpoint.dir` (true; a damaged newer one is skipped with a
   * warning) or from this checkpoint file.
   */
  resume?: boolean | string;
  /** Path of the JSONL log (one line per step). */
  log?: string;
  /** Path of a PNG of the training curves, written at checkpoints and at the end (needs `@facelab/plot` installed). */
  curves?: string;
  /** Progress display (default true; needs a known total: `steps`, or `epochs` with `stepsPerEpoch` or an array). */
  progress?: boolean | Omit<TrainingProgressOptions, 'total'>;
  callbacks?: TrainerCallbacks;
}

/** Why a run ended. */
export type StopReason = 'steps' | 'epochs' | 'early-stopping' | 'requested';

/** The outcome of {@link train}. */
export interface TrainResult {
  /** Steps done in total. */
  step: number;
  epoch: number;
  stopReason: StopReason;
  /** The best monitored validation value and its step (when validating). */
  best?: { value: number; step: number };
  /** The records of this session's steps (a resumed run has only the steps after the checkpoint). */
  records: StepRecord[];
}

const DATA_SEED_MIX = 0x9e3779b9;

function asRecord<T>(value: T | Record<string, T>, isSingle: (v: unknown) => v is T, key: string): Record<string, T> {
  return isSingle(value) ? { [key]: value } : value;
}

const isModel = (v: unknown): v is tf.LayersModel => v instanceof tf.LayersModel;
const isOptimizer = (v: unknown): v is tf.Optimizer => v instanceof tf.Optimizer;

function scheduleOf(lr: number | LrSchedule | undefined): LrSchedule | undefined {
  if (lr === undefined) return undefined;
  if (typeof lr === 'number') return () => lr;
  return lr;
}

function readValue(v: tf.Scalar | number, what: string): number {
  if (typeof v === 'number') return v;
  if (v.size !== 1) throw new Error(`${what} must be a scalar, got shape [${v.shape.join(', ')}]`);
  return v.dataSync()[0]!;
}

/** Reads and disposes a step output's tensors. */
function readOutput(out: StepOutput): { loss: number; metrics: Record<string, number> } {
  if (out === null || typeof out !== 'object' || out.loss === undefined) {
    throw new Error('a step must return { loss, metrics? }');
  }
  try {
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(out.metrics ?? {})) metrics[k] = readValue(v, `metric '${k}'`);
    return { loss: readValue(out.loss, 'loss'), metrics };
  } finally {
    tf.dispose([out.loss, ...Object.values(out.metrics ?? {})].filter((t): t is tf.Scalar => typeof t !== 'number'));
  }
}

async function* iterate<B>(source: EpochData<B>): AsyncGenerator<B> {
  if (Symbol.asyncIterator in source) yield* source as AsyncIterable<B>;
  else yield* source as Iterable<B>;
}

/** Trains as configured and resolves when the run ends. See {@link TrainOptions}. */
export async function train<B>(options: TrainOptions<B>): Promise<TrainResult> {
  try {
    return await new TrainerRun(options).run();
  } finally {
    if (options.disposeOptimizers && options.optimizer != null) {
      Object.values(asRecord(options.optimizer, isOptimizer, 'default')).filter(isOptimizer).forEach(disposeOptimizer);
    }
  }
}

class TrainerRun<B> {
  private readonly models: Record<string, tf.LayersModel>;
  private readonly optimizers: Record<string, tf.Optimizer>;
  private readonly schedules: Record<string, LrSchedule | undefined>;
  private readonly trainable: tf.Variable[];
  private readonly rng: Rng;
  private readonly dataRng: Rng;
  private readonly disposeBatches: boolean;
  private readonly totalSteps: number | undefined;
  private state: TrainState;
  private stopReason: StopReason | undefined;
  private readonly control: TrainerControl = { stop: () => void (this.stopReason ??= 'requested') };
  private lastCheckpointStep = -1;
  /** The current epoch's batches as `data` gave them (to dispose the unused ones of an array). */
  private epochSource: EpochData<B> | undefined;
  private records: StepRecord[] = [];
  private log: JsonlLog | undefined;

  constructor(private readonly o: TrainOptions<B>) {
    checkTrainOptions(o);
    if ((o.loss === undefined) === (o.step === undefined)) throw new Error('train: give exactly one of `loss` and `step`');
    if ((o.batchAt === undefined) === (o.data === undefined)) throw new Error('train: give exactly one of `batchAt` and `data`');
    if (o.steps === undefined && o.epochs === undefined) throw new Error('train: give `steps` or `epochs`');
    if (o.batchAt && o.steps === undefined && o.stepsPerEpoch === undefined) {
      throw new Error('train: with `batchAt` and `epochs`, give `stepsPerEpoch`');
    }
    if (o.model === undefined && o.variables === undefined) throw new Error('train: give `model` or `variables`');
    if (o.resume === true && o.checkpoint === undefined) throw new Error('train: `resume: true` needs `checkpoint.dir`');
    this.models = o.model === undefined ? {} : asRecord(o.model, isModel, 'model');
    this.optimizers = asRecord(o.optimizer, isOptimizer, 'default');
    const keys = Object.keys(this.optimizers);
    if (keys.length === 0) throw new Error('train: `optimizer` is empty');
    const lr = o.lr;
    const perOptimizer = lr !== undefined && typeof lr === 'object';
    this.schedules = Object.fromEntries(keys.map((k) => [k, scheduleOf(perOptimizer ? lr[k] : (lr as number | LrSchedule | undefined))]));
    this.trainable = [
      ...Object.values(this.models).flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable)),
      ...(o.variables ?? []).filter((v) => v.trainable),
    ];
    const seed = o.seed ?? 1;
    this.rng = new Rng(seed);
    this.dataRng = new Rng((seed ^ DATA_SEED_MIX) >>> 0);
    this.disposeBatches = o.disposeBatches ?? !Array.isArray(o.data);
    const spe = o.stepsPerEpoch ?? (Array.isArray(o.data) ? o.data.length : undefined);
    this.totalSteps = o.steps ?? (o.epochs !== undefined && spe !== undefined ? o.epochs * spe : undefined);
    this.state = {
      step: 0,
      epoch: 0,
      batchInEpoch: 0,
      rngState: this.rng.state,
      dataRngState: this.dataRng.state,
      epochDataRngState: this.dataRng.state,
      best: null,
      sinceBest: 0,
      elapsed: 0,
      optimizers: {},
    };
  }

  private lrFor(step: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, opt] of Object.entries(this.optimizers)) {
      const s = this.schedules[k];
      if (s) {
        const value = s(step);
        if (!Number.isFinite(value)) throw new Error(`train: the learning-rate schedule of '${k}' gave ${value} at step ${step}`);
        setOptimizerLearningRate(opt, value);
      }
      out[k] = (opt as unknown as { learningRate: number }).learningRate;
    }
    return out;
  }

  private minimize(fn: () => StepOutput, opts: MinimizeOptions = {}): { loss: number; metrics: Record<string, number> } {
    const key = opts.optimizer ?? Object.keys(this.optimizers)[0]!;
    const optimizer = this.optimizers[key];
    if (!optimizer) throw new Error(`minimize: no optimizer named '${key}' (have ${Object.keys(this.optimizers).join(', ')})`);
    const vars = opts.variables ?? this.trainable;
    if (vars.length === 0) throw new Error('minimize: no variables to train');
    let metrics: Record<string, tf.Scalar | number> = {};
    const { value, grads } = variableGradsReleasing(() => {
      const out = fn();
      metrics = out.metrics ?? {};
      for (const m of Object.values(metrics)) if (typeof m !== 'number') tf.keep(m);
      if (typeof out.loss === 'number') throw new Error('minimize: the loss must be a tf.Scalar computed from the variables');
      return out.loss;
    }, vars);
    const loss = value.dataSync()[0]!;
    if (!Number.isFinite(loss)) {
      tf.dispose([value, ...Object.values(grads), ...Object.values(metrics).filter((m): m is tf.Scalar => typeof m !== 'number')]);
      throw new NonFiniteLossError(loss, this.state.step, key);
    }
    let norm: number | undefined;
    tf.tidy(() => {
      // A variable without a gradient gets zeros, so the optimizer's per-variable slots keep their order.
      let g: tf.Tensor[] = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
      if (this.o.clipNorm !== undefined) {
        const filter = this.o.clipNormFilter ?? (() => true);
        const covered = vars.flatMap((v, i) => (filter(v) ? [i] : []));
        const clipped = clipByGlobalNorm(covered.map((i) => g[i]!), this.o.clipNorm);
        norm = clipped.norm.dataSync()[0]!;
        g = g.slice();
        covered.forEach((i, k) => (g[i] = clipped.grads[k]!));
      }
      if (this.o.weightDecay) {
        const filter = this.o.weightDecayFilter ?? (() => true);
        g = addWeightDecay(g, vars, this.o.weightDecay, vars.map(filter));
      }
      optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: g[i]! })));
    });
    const read = readOutput({ loss: value, metrics });
    tf.dispose(Object.values(grads));
    if (norm !== undefined) read.metrics[key === 'default' ? 'gradNorm' : `gradNorm/${key}`] = norm;
    return read;
  }

  private async checkpointTensors(): Promise<{ tensors: { name: string; tensor: tf.Tensor }[]; release: () => void }> {
    const tensors: { name: string; tensor: tf.Tensor }[] = [];
    for (const [key, model] of Object.entries(this.models)) {
      for (const w of model.weights) tensors.push({ name: `model/${key}/${w.originalName}`, tensor: w.read() });
    }
    for (const v of this.o.variables ?? []) tensors.push({ name: `variable/${v.name}`, tensor: v });
    const releases: (() => void)[] = [];
    this.state.optimizers = {};
    for (const [key, opt] of Object.entries(this.optimizers)) {
      const snap = await captureOptimizerState(opt);
      releases.push(snap.release);
      this.state.optimizers[key] = {
        className: opt.getClassName(),
        names: snap.weights.map((w) => w.name),
        extras: snap.extras.map((e) => e.name),
      };
      snap.weights.forEach((w, i) => tensors.push({ name: `optimizer/${key}/w/${i}`, tensor: w.tensor }));
      snap.extras.forEach((e) => tensors.push({ name: `optimizer/${key}/x/${e.name}`, tensor: e.tensor }));
    }
    return { tensors, release: () => releases.forEach((r) => r()) };
  }

  private async saveCheckpoint(elapsed: number): Promise<void> {
    const c = this.o.checkpoint!;
    this.state.rngState = this.rng.state;
    this.state.dataRngState = this.dataRng.state;
    this.state.elapsed = elapsed;
    const { tensors, release } = await this.checkpointTensors();
    try {
      await saveCheckpoint(join(c.dir, checkpointFileName(this.state.step)), this.state, tensors);
    } finally {
      release();
    }
    this.lastCheckpointStep = this.state.step;
    const all = await listCheckpoints(c.dir);
    for (const old of all.slice(0, Math.max(0, all.length - (c.keep ?? 3)))) await unlink(old.path);
    if (this.o.curves && this.o.log) await this.writeCurves();
  }

  /** Writes each model's weights from the checkpoint: by name, or by position when only auto-numbering differs. */
  private restoreModel(key: string, model: tf.LayersModel, stored: Map<string, tf.Tensor>, path: string): void {
    const prefix = `model/${key}/`;
    const entries = [...stored.entries()].filter(([n]) => n.startsWith(prefix));
    const weights = model.weights;
    const byName = new Map(entries.map(([n, t]) => [n.slice(prefix.length), t]));
    const allNamed = weights.every((w) => byName.has(w.originalName));
    if (!allNamed && entries.length !== weights.length) {
      const missing = weights.find((w) => !byName.has(w.originalName))!;
      throw new Error(`checkpoint '${path}' has no weight '${missing.originalName}' for model '${key}' (${entries.length} stored, ${weights.length} in the model)`);
    }
    weights.forEach((w, i) => {
      const t = allNamed ? byName.get(w.originalName)! : entries[i]![1];
      if (t.shape.join(',') !== w.shape.join(',')) {
        throw new Error(`checkpoint '${path}': weight ${i} of model '${key}' ('${w.originalName}') has shape [${t.shape}], the model has [${w.shape}]`);
      }
      w.write(t);
    });
  }

  /**
   * The checkpoint to resume from, read: the file `resume` names, or the newest in `checkpoint.dir` that reads
   * back intact (damaged newer ones, e.g. truncated by a full disk, are skipped with a warning naming them).
   */
  private async loadResume(): Promise<{ path: string; loaded: LoadedCheckpoint<unknown> } | undefined> {
    const o = this.o;
    if (typeof o.resume === 'string') return { path: o.resume, loaded: await loadCheckpoint(o.resume) };
    if (!o.resume) return undefined;
    const skipped: string[] = [];
    for (const { path } of (await listCheckpoints(o.checkpoint!.dir)).reverse()) {
      try {
        const loaded = await loadCheckpoint(path);
        if (skipped.length > 0 && !env.quiet) console.warn(`train: resuming from '${path}', skipping ${skipped.join('; ')}`);
        return { path, loaded };
      } catch (err) {
        if (!(err instanceof CheckpointError)) throw err;
        skipped.push(err.message);
      }
    }
    if (skipped.length > 0) throw new Error(`train: no valid checkpoint to resume from in '${o.checkpoint!.dir}': ${skipped.join('; ')}`);
    return undefined;
  }

  /** Checks a loaded checkpoint's state against this run, then writes its weights and state into the run. */
  private async restore(path: string, { state, tensors }: LoadedCheckpoint<unknown>): Promise<void> {
    try {
      checkTrainState(state, path, {
        fileStep: checkpointStepOf(path),
        steps: this.o.steps,
        optimizers: Object.keys(this.optimizers),
        tensors,
      });
      for (const [key, model] of Object.entries(this.models)) this.restoreModel(key, model, tensors, path);
      for (const v of this.o.variables ?? []) {
        const t = tensors.get(`variable/${v.name}`);
        if (!t) throw new Error(`checkpoint '${path}' has no variable '${v.name}'`);
        v.assign(t);
      }
      for (const [key, opt] of Object.entries(this.optimizers)) {
        const info = state.optimizers[key]!;
        if (info.className !== opt.getClassName()) {
          throw new Error(`checkpoint '${path}': optimizer '${key}' was ${info.className}, now ${opt.getClassName()}`);
        }
        const weights = info.names.map((name, i) => ({ name, tensor: tensors.get(`optimizer/${key}/w/${i}`)! }));
        const extras = info.extras.map((name) => ({ name, tensor: tensors.get(`optimizer/${key}/x/${name}`)! }));
        await restoreOptimizerState(opt, weights, extras);
      }
      this.state = state;
    } finally {
      tf.dispose([...tensors.values()]);
    }
    this.lastCheckpointStep = this.state.step;
    this.rng.state = this.state.rngState;
  }

  private async writeCurves(): Promise<void> {
    await writeCurves(this.o.curves!, readJsonl(this.o.log!));
  }

  /** Opens the current epoch's batches; on resume, replays the data stream up to the stored position. */
  private async openEpoch(replay: boolean): Promise<AsyncIterator<B>> {
    const { data } = this.o;
    if (replay) this.dataRng.state = this.state.epochDataRngState;
    else this.state.epochDataRngState = this.dataRng.state;
    const source = typeof data === 'function' ? data(this.state.epoch, this.dataRng) : data!;
    this.epochSource = source;
    const it = iterate(source);
    if (replay) {
      for (let i = 0; i < this.state.batchInEpoch; i++) {
        const r = await it.next();
        if (r.done) throw new Error(`resume: the data ended after ${i} batches of epoch ${this.state.epoch}, the checkpoint is at batch ${this.state.batchInEpoch}`);
        if (this.disposeBatches) tf.dispose(r.value as tf.TensorContainer);
      }
      if (this.dataRng.state !== this.state.dataRngState) {
        throw new Error('resume: replaying the data did not reproduce the checkpointed data-stream state; the data source must draw randomness only from the `rng` it is given');
      }
    }
    return it;
  }

  private async validate(step: number): Promise<Record<string, number> | undefined> {
    const v = this.o.validation;
    if (!v || step % v.every !== 0) return undefined;
    const values = await v.run({ step, epoch: this.state.epoch });
    const monitor = v.monitor ?? Object.keys(values)[0];
    const value = monitor === undefined ? undefined : values[monitor];
    if (value === undefined) throw new Error(`validation: no value '${monitor}' in the result (${Object.keys(values).join(', ')})`);
    const sign = v.mode === 'max' ? -1 : 1;
    const best = this.state.best;
    const improved = best === null || sign * (best.value - value) > (v.minDelta ?? 0);
    if (improved) {
      this.state.best = { value, step };
      this.state.sinceBest = 0;
    } else {
      this.state.sinceBest++;
      if (v.patience !== undefined && this.state.sinceBest >= v.patience) this.stopReason ??= 'early-stopping';
    }
    await this.o.callbacks?.onValidation?.(values, improved, this.control);
    return values;
  }

  private async endEpoch(): Promise<void> {
    await this.o.callbacks?.onEpochEnd?.(this.state.epoch, this.control);
    this.state.epoch++;
    this.state.batchInEpoch = 0;
    if (this.o.epochs !== undefined && this.state.epoch >= this.o.epochs) this.stopReason ??= 'epochs';
  }

  async run(): Promise<TrainResult> {
    const o = this.o;
    const resume = await this.loadResume();
    const resumed = resume !== undefined;
    if (resume) await this.restore(resume.path, resume.loaded);
    const outputs = { 'checkpoint.dir': o.checkpoint?.dir, log: o.log && dirname(o.log), curves: o.curves && dirname(o.curves) };
    for (const [option, dir] of Object.entries(outputs)) if (dir) await ensureDir(dir, `train: ${option}`);
    if (o.checkpoint) await removeStaleTemps(o.checkpoint.dir); // writes a killed run left half done
    this.log = o.log ? await JsonlLog.open(o.log, resumed ? this.state.step : undefined) : undefined;
    const progress =
      o.progress !== false && this.totalSteps !== undefined
        ? new TrainingProgress({ total: this.totalSteps, ...(typeof o.progress === 'object' ? o.progress : {}) })
        : undefined;
    const t0 = performance.now();
    const before = this.state.elapsed; // seconds trained before a resume
    const elapsed = () => before + (performance.now() - t0) / 1000;
    const ctxBase = { rng: this.rng, minimize: this.minimize.bind(this) };
    let iterator: AsyncIterator<B> | undefined;
    let replay = resumed && o.data !== undefined;
    if (resumed && o.batchAt) this.dataRng.state = this.state.dataRngState;
    if (o.steps !== undefined && this.state.step >= o.steps) this.stopReason = 'steps';
    if (o.epochs !== undefined && this.state.epoch >= o.epochs) this.stopReason ??= 'epochs';
    progress?.start(this.state.step);
    try {
      while (this.stopReason === undefined) {
        let batch: B;
        if (o.batchAt) {
          batch = await o.batchAt(this.state.step, this.dataRng);
        } else {
          iterator ??= await this.openEpoch(replay);
          replay = false;
          const r = await iterator.next();
          if (r.done) {
            if (this.state.batchInEpoch === 0) {
              throw new Error(
                `train: epoch ${this.state.epoch} produced no batches (a generator object runs only once: ` +
                  'pass `data` as a function of the epoch to iterate again)',
              );
            }
            iterator = undefined;
            await this.endEpoch();
            continue;
          }
          batch = r.value;
        }
        this.state.batchInEpoch++;
        const stepIndex = this.state.step;
        const lr = this.lrFor(stepIndex);
        const ctx: StepContext = { ...ctxBase, step: stepIndex, epoch: this.state.epoch, lr };
        let result: { loss: number; metrics: Record<string, number> };
        try {
          result = o.loss ? this.minimize(() => o.loss!(batch, ctx)) : readOutput(await o.step!(batch, ctx));
        } finally {
          if (this.disposeBatches) tf.dispose(batch as tf.TensorContainer);
        }
        if (!Number.isFinite(result.loss)) throw new NonFiniteLossError(result.loss, stepIndex);
        this.state.step++;
        const step = this.state.step;
        const record: StepRecord = {
          step,
          epoch: this.state.epoch,
          loss: result.loss,
          lr: Object.keys(lr).length === 1 ? Object.values(lr)[0]! : lr,
          time: Number(elapsed().toFixed(3)),
          metrics: result.metrics,
        };
        const val = await this.validate(step);
        if (val) record.val = val;
        this.records.push(record);
        this.log?.append(record);
        progress?.update(step, { loss: record.loss, ...record.metrics, lr: Object.values(lr)[0] });
        await o.callbacks?.onStepEnd?.(record, this.control);
        if (o.batchAt && o.stepsPerEpoch !== undefined && step % o.stepsPerEpoch === 0) await this.endEpoch();
        if (o.steps !== undefined && step >= o.steps) this.stopReason ??= 'steps';
        if (o.checkpoint && step % o.checkpoint.every === 0) await this.saveCheckpoint(elapsed());
      }
      if (o.checkpoint && this.lastCheckpointStep !== this.state.step) await this.saveCheckpoint(elapsed());
    } finally {
      progress?.stop();
      this.log?.close();
      await (iterator as AsyncGenerator<B> | undefined)?.return?.(undefined);
      if (iterator && this.disposeBatches && Array.isArray(this.epochSource)) {
        tf.dispose(this.epochSource.slice(this.state.batchInEpoch) as tf.TensorContainer[]);
      }
    }
    if (o.curves && o.log) await this.writeCurves();
    else if (o.curves) await writeCurves(o.curves, this.records);
    return {
      step: this.state.step,
      epoch: this.state.epoch,
      stopReason: this.stopReason!,
      ...(this.state.best ? { best: this.state.best } : {}),
      records: this.records,
    };
  }
}
