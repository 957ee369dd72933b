/**
 * Bad invocations of the trainer: every count/size/step option set to NaN, a string, a fraction, zero or a
 * negative; checkpoints whose training state is wrong field by field; output folders that cannot be made;
 * losses that turn NaN or throw. Each is a one-line error naming the option, field or file, or (for odd but
 * valid runs: a truncated newest checkpoint, a torn log line, stale temp files) a checked result — with no
 * tensor leaked, models and optimizers included.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import {
  checkpointFileName,
  fileSystemIO,
  initBackend,
  loadCheckpoint,
  NonFiniteLossError,
  readJsonl,
  saveCheckpoint,
  tf,
  train,
  type TrainOptions,
  type TrainResult,
} from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'facelab-malformed-train-'));
const numTensors = () => tf.memory().numTensors;
let dirs = 0;
const freshDir = (name: string) => join(root, `${name.replace(/[^\w]+/g, '_')}-${dirs++}`);

beforeAll(async () => {
  await initBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };
const XS = [[1, 0], [0, 1], [1, 1], [-1, 0.5]];
const YS = [[1], [-1], [0], [2]];

type RunOptions = Partial<TrainOptions<Batch>> & { lossScale?: number };

/**
 * A small seeded regression run (options may depend on its model); the model and optimizer are disposed when it
 * ends, whatever happens.
 */
async function run(extra: RunOptions | ((model: tf.LayersModel) => RunOptions) = {}): Promise<TrainResult> {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })],
  });
  const { lossScale = 1, ...options } = typeof extra === 'function' ? extra(model) : extra;
  try {
    return await train<Batch>({
      model,
      optimizer: options.optimizer ?? tf.train.adam(0.01),
      disposeOptimizers: true,
      steps: 4,
      progress: false,
      batchAt: (step) => ({ x: tf.tensor2d([XS[step % 4]!]), y: tf.tensor2d([YS[step % 4]!]) }),
      loss: (b) => ({ loss: tf.mul(tf.losses.meanSquaredError(b.y, model.apply(b.x) as tf.Tensor), lossScale) as tf.Scalar }),
      ...options,
    });
  } finally {
    model.dispose();
  }
}

// Every count option, with every kind of bad value.
const BAD_COUNTS: [string, unknown][] = [['NaN', NaN], ['-1', -1], ['0', 0], ['1.5', 1.5], ['Infinity', Infinity], ['the string "3"', '3'], ['null', null]];
const COUNT_OPTIONS: [string, (v: unknown) => Partial<TrainOptions<Batch>>][] = [
  ['steps', (v) => ({ steps: v as number })],
  ['epochs', (v) => ({ steps: undefined, epochs: v as number, stepsPerEpoch: 2 })],
  ['stepsPerEpoch', (v) => ({ stepsPerEpoch: v as number })],
  ['checkpoint.every', (v) => ({ checkpoint: { dir: freshDir('every'), every: v as number } })],
  ['checkpoint.keep', (v) => ({ checkpoint: { dir: freshDir('keep'), every: 2, keep: v as number } })],
  ['validation.every', (v) => ({ validation: { every: v as number, run: () => ({ loss: 1 }) } })],
  ['validation.patience', (v) => ({ validation: { every: 1, patience: v as number, run: () => ({ loss: 1 }) } })],
];
const countCases: MalformedCase[] = COUNT_OPTIONS.flatMap(([option, set]) =>
  BAD_COUNTS.map(([label, value]): MalformedCase => ({
    name: `${option} ${label}`,
    run: () => run(set(value)),
    error: `train: ${option} must be a positive integer`,
  })),
);

const BAD_NUMBERS: [string, unknown][] = [['NaN', NaN], ['-1', -1], ['Infinity', Infinity], ['the string "0.1"', '0.1']];
const numberCases: MalformedCase[] = [
  ...BAD_NUMBERS.map(([label, v]): MalformedCase => ({ name: `weightDecay ${label}`, run: () => run({ weightDecay: v as number }), error: 'train: weightDecay must be a finite number ≥ 0' })),
  ...BAD_NUMBERS.map(([label, v]): MalformedCase => ({
    name: `validation.minDelta ${label}`,
    run: () => run({ validation: { every: 1, minDelta: v as number, run: () => ({ loss: 1 }) } }),
    error: 'train: validation.minDelta must be a finite number ≥ 0',
  })),
  ...[...BAD_NUMBERS, ['0', 0] as [string, unknown]].map(([label, v]): MalformedCase => ({
    name: `clipNorm ${label}`,
    run: () => run({ clipNorm: v as number }),
    error: 'train: clipNorm must be a finite number > 0',
  })),
  ...[['NaN', NaN], ['1.5', 1.5], ['the string "7"', '7'], ['Infinity', Infinity]].map(([label, v]): MalformedCase => ({
    name: `seed ${label}`,
    run: () => run({ seed: v as number }),
    error: 'train: seed must be an integer',
  })),
  { name: "validation.mode 'bogus'", run: () => run({ validation: { every: 1, mode: 'bogus' as 'min', run: () => ({ loss: 1 }) } }), error: "train: validation.mode must be 'min' or 'max'" },
  { name: 'checkpoint.dir empty', run: () => run({ checkpoint: { dir: '', every: 2 } }), error: 'train: checkpoint.dir must be a non-empty path' },
  { name: 'checkpoint.dir a number', run: () => run({ checkpoint: { dir: 5 as unknown as string, every: 2 } }), error: 'train: checkpoint.dir must be a non-empty path' },
  { name: 'resume empty path', run: () => run({ resume: '' }), error: 'train: resume must be a non-empty path' },
  { name: 'resume a number', run: () => run({ resume: 1 as unknown as boolean }), error: 'train: resume must be a boolean or a path' },
  { name: 'log empty path', run: () => run({ log: '' }), error: 'train: log must be a non-empty path' },
  { name: 'curves a number', run: () => run({ curves: 3 as unknown as string }), error: 'train: curves must be a non-empty path' },
  { name: 'resume from a missing file', run: () => run({ resume: join(root, 'none.flckpt') }), error: 'file not found' },
];

// Output folders that cannot be made: under /proc, mkdir({ recursive: true }) never returns (a Node bug).
const outputCases: MalformedCase[] = [
  { name: 'checkpoint.dir under /proc', run: () => run({ checkpoint: { dir: '/proc/facelab/ckpt', every: 2 } }), error: "train: checkpoint.dir: cannot create folder '/proc/facelab/ckpt'" },
  { name: 'log under /proc', run: () => run({ log: '/proc/facelab/x/train.jsonl' }), error: "train: log: cannot create folder '/proc/facelab/x'" },
  { name: 'curves under /proc/self', run: () => run({ curves: '/proc/self/facelab/curves.png' }), error: 'train: curves: cannot create folder' },
  {
    name: 'checkpoint.dir below a file',
    run: () => {
      const file = join(root, 'a-file');
      writeFileSync(file, 'x');
      return run({ checkpoint: { dir: join(file, 'ckpt'), every: 2 } });
    },
    error: "a-file' is not a folder",
  },
  {
    name: 'checkpoint.dir is a file',
    run: () => {
      const file = join(root, 'b-file');
      writeFileSync(file, 'x');
      return run({ checkpoint: { dir: file, every: 2 } });
    },
    error: 'is not a folder',
  },
  {
    name: 'model directory under /proc',
    run: async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
      try {
        return await model.save(fileSystemIO('/proc/facelab/model'));
      } finally {
        model.dispose();
      }
    },
    error: "cannot create folder '/proc/facelab/model'",
  },
  {
    name: 'checkpoint.dir three new levels deep',
    run: async () => {
      const dir = join(freshDir('deep'), 'a', 'b', 'c');
      await run({ checkpoint: { dir, every: 2 } });
      return readdirSync(dir);
    },
    ok: (names) => expect(names).toEqual([checkpointFileName(2), checkpointFileName(4)]),
  },
];

/** A finished 4-step run's checkpoint folder (checkpoints at steps 2 and 4). */
async function trainedDir(name: string): Promise<string> {
  const dir = freshDir(name);
  await run({ checkpoint: { dir, every: 2 } });
  return dir;
}

/** Re-saves `dir`'s checkpoint at step 2 with its state changed by `edit` (a valid file, a wrong state). */
async function withState(name: string, edit: (s: Record<string, unknown>) => unknown, file = checkpointFileName(2)): Promise<string> {
  const dir = await trainedDir(name);
  const { state, tensors } = await loadCheckpoint<Record<string, unknown>>(join(dir, checkpointFileName(2)));
  const path = join(dir, file);
  try {
    await saveCheckpoint(path, edit(structuredClone(state)), [...tensors].map(([n, tensor]) => ({ name: n, tensor })));
  } finally {
    tf.dispose([...tensors.values()]);
  }
  return path;
}

type StateEdit = [name: string, edit: (s: Record<string, unknown>) => unknown, why: string];
const set = (key: string, value: unknown) => (s: Record<string, unknown>) => ({ ...s, [key]: value });
const drop = (key: string) => (s: Record<string, unknown>) => (delete s[key], s);
const opt = (edit: (o: Record<string, unknown>) => void) => (s: Record<string, unknown>) => {
  edit((s.optimizers as Record<string, Record<string, unknown>>).default!);
  return s;
};
const stateEdits: StateEdit[] = [
  ['state null', () => null, 'state is null'],
  ['state a list', () => [], 'state is [], not an object'],
  ...[['"two"', 'two'], ['-5', -5], ['2.5', 2.5], ['null (NaN in JSON)', null], ['missing', undefined]].map(
    ([label, v]): StateEdit => [`step ${label}`, v === undefined ? drop('step') : set('step', v), 'step is'],
  ),
  ['step 1e12 (past steps)', set('step', 1e12), "step is 1000000000000, but the file name says 2"],
  ['step 3 in ckpt-000000002', set('step', 3), 'step is 3, but the file name says 2'],
  ...['epoch', 'batchInEpoch', 'sinceBest'].flatMap((key) =>
    [['-1', -1], ['"0"', '0'], ['0.5', 0.5], ['null', null]].map(([label, v]): StateEdit => [`${key} ${label}`, set(key, v), `${key} is`]),
  ),
  ...['rngState', 'dataRngState', 'epochDataRngState'].flatMap((key) =>
    [['null', null], ['-1', -1], ['2^32', 2 ** 32], ['"x"', 'x'], ['1.5', 1.5]].map(([label, v]): StateEdit => [`${key} ${label}`, set(key, v), `${key} is`]),
  ),
  ['elapsed -1', set('elapsed', -1), 'elapsed is -1'],
  ['elapsed a string', set('elapsed', '3s'), 'elapsed is "3s"'],
  ['elapsed null', set('elapsed', null), 'elapsed is null'],
  ['best a string', set('best', 'good'), 'best is "good"'],
  ['best without step', set('best', { value: 1 }), 'best is {"value":1}'],
  ['best with a string value', set('best', { value: 'a', step: 1 }), 'best is'],
  ['optimizers missing', drop('optimizers'), 'optimizers is undefined'],
  ['optimizers null', set('optimizers', null), 'optimizers is null'],
  ['optimizers empty', set('optimizers', {}), "no state for optimizer 'default'"],
  ['optimizer state null', set('optimizers', { default: null }), 'optimizers.default is null'],
  ['optimizer className missing', opt((o) => delete o.className), 'optimizers.default.className is undefined'],
  ['optimizer names not a list', opt((o) => (o.names = 'm,v')), 'optimizers.default.names is not a list'],
  ['optimizer extras with a number', opt((o) => (o.extras = [1])), 'optimizers.default.extras is not a list'],
  ['optimizer slot without a tensor', opt((o) => (o.names = [...(o.names as string[]), 'extra'])), "no tensor 'optimizer/default/w/"],
  ['optimizer extra without a tensor', opt((o) => (o.extras = ['nothing'])), "no tensor 'optimizer/default/x/nothing'"],
  ['optimizer of another class', opt((o) => (o.className = 'SGDOptimizer')), "optimizer 'default' was SGDOptimizer, now Adam"],
];
const stateCases: MalformedCase[] = stateEdits.map(([name, edit, why]) => ({
  name: `resume state: ${name}`,
  run: async () => run({ steps: 6, resume: await withState(name, edit) }),
  error: why,
}));
stateCases.push(
  {
    name: 'resume state: step 1e12 in a file not named by step',
    run: async () => run({ steps: 6, resume: await withState('huge', set('step', 1e12), 'saved.flckpt') }),
    error: "step is 1000000000000, past this run's steps (6)",
  },
  { name: 'resume state: step past the run\'s steps', run: async () => run({ steps: 1, resume: join(await trainedDir('past'), checkpointFileName(2)) }), error: "step is 2, past this run's steps (1)" },
  {
    name: 'resume state: a checkpoint without the model\'s weights',
    run: async () => {
      const path = join(freshDir('noweights'), checkpointFileName(2));
      mkdirSync(join(path, '..'), { recursive: true });
      const dir = await trainedDir('noweights-src');
      const { state, tensors } = await loadCheckpoint(join(dir, checkpointFileName(2)));
      try {
        await saveCheckpoint(path, state, [...tensors].filter(([n]) => !n.startsWith('model/')).map(([name, tensor]) => ({ name, tensor })));
      } finally {
        tf.dispose([...tensors.values()]);
      }
      return run({ steps: 6, resume: path });
    },
    error: "has no weight 'dense_",
  },
);

/** Bytes of `path` cut to `n`. */
const truncate = (path: string, n: number) => writeFileSync(path, readFileSync(path).subarray(0, n));

const resumeCases: MalformedCase[] = [100, 16, 5].map((n) => ({
  name: `newest checkpoint truncated to ${n} bytes: resumes from the one before, with a warning`,
  run: async () => {
    const dir = await trainedDir(`trunc-${n}`);
    truncate(join(dir, checkpointFileName(4)), n);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const r = await run({ steps: 4, checkpoint: { dir, every: 2 }, resume: true });
      return { steps: r.records.map((x) => x.step), warned: warn.mock.calls.map((c) => String(c[0])) };
    } finally {
      warn.mockRestore();
    }
  },
  ok: (r) => {
    const { steps, warned } = r as { steps: number[]; warned: string[] };
    expect(steps).toEqual([3, 4]);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/resuming from '.*ckpt-000000002\.flckpt', skipping corrupt checkpoint '.*ckpt-000000004\.flckpt': truncated/);
  },
}));
resumeCases.push(
  {
    name: 'every checkpoint truncated',
    run: async () => {
      const dir = await trainedDir('trunc-all');
      for (const step of [2, 4]) truncate(join(dir, checkpointFileName(step)), 20);
      return run({ steps: 4, checkpoint: { dir, every: 2 }, resume: true });
    },
    error: 'train: no valid checkpoint to resume from in',
  },
  {
    name: 'stale temp files of interrupted writes are deleted',
    run: async () => {
      const dir = await trainedDir('stale');
      const stale = [`.${checkpointFileName(6)}.0123456789ab.tmp`, '.ckpt-000000008.flckpt.abcdefabcdef.tmp'];
      for (const name of stale) writeFileSync(join(dir, name), 'half');
      writeFileSync(join(dir, 'notes.tmp'), 'kept: not a temp file of ours');
      await run({ steps: 6, checkpoint: { dir, every: 2 }, resume: true });
      return readdirSync(dir).sort();
    },
    ok: (names) => expect(names).toEqual([checkpointFileName(2), checkpointFileName(4), checkpointFileName(6), 'notes.tmp']),
  },
  {
    name: 'train.jsonl with a torn last line (killed mid-write): resumes, the torn line dropped',
    run: async () => {
      const dir = freshDir('torn');
      const log = join(dir, 'train.jsonl');
      await run({ checkpoint: { dir, every: 2 }, log });
      writeFileSync(log, `${readFileSync(log, 'utf8')}{"step":5,"epo`);
      await run({ steps: 6, checkpoint: { dir, every: 2 }, log, resume: true });
      return readJsonl(log).map((r) => r.step);
    },
    ok: (steps) => expect(steps).toEqual([1, 2, 3, 4, 5, 6]),
  },
  {
    name: 'train.jsonl with a bad line before the last',
    run: async () => {
      const dir = freshDir('badline');
      const log = join(dir, 'train.jsonl');
      await run({ checkpoint: { dir, every: 2 }, log });
      writeFileSync(log, `{"step":1,\n${readFileSync(log, 'utf8')}`);
      return run({ steps: 6, checkpoint: { dir, every: 2 }, log, resume: true });
    },
    error: /train\.jsonl:1: not valid JSON/,
  },
);

// Losses that go wrong, and what must happen to the weights and the tensors.
const lossCases: MalformedCase[] = [
  ...[['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]].map(([label, scale]): MalformedCase => ({
    name: `loss ${label} at the first step`,
    run: () => run({ lossScale: scale as number }),
    error: `train: loss is ${label === 'Infinity' ? 'Infinity' : label} at step 1`,
  })),
  {
    name: 'loss NaN at step 3: NonFiniteLossError, the weights left as after step 2',
    run: async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'ones' })] });
      let after2: number[] = [];
      try {
        await train<Batch>({
          model, optimizer: tf.train.sgd(0.1), disposeOptimizers: true, steps: 5, progress: false,
          batchAt: (step) => ({ x: tf.tensor2d([step === 2 ? [NaN, 1] : XS[step]!]), y: tf.tensor2d([YS[step]!]) }),
          loss: (b) => ({ loss: tf.losses.meanSquaredError(b.y, model.apply(b.x) as tf.Tensor) as tf.Scalar }),
          callbacks: { onStepEnd: () => void (after2 = Array.from(model.weights[0]!.read().dataSync())) },
        });
        return undefined;
      } catch (err) {
        return { err, after2, now: Array.from(model.weights[0]!.read().dataSync()) };
      } finally {
        model.dispose();
      }
    },
    ok: (r) => {
      const { err, after2, now } = r as { err: NonFiniteLossError; after2: number[]; now: number[] };
      expect(err).toBeInstanceOf(NonFiniteLossError);
      expect([err.step, err.loss]).toEqual([2, NaN]);
      expect(now).toEqual(after2);
      expect(now.every(Number.isFinite)).toBe(true);
    },
  },
  {
    name: 'a custom step returning a NaN number',
    run: async () => run({ loss: undefined, step: () => ({ loss: NaN }) }),
    error: 'train: loss is NaN at step 1',
  },
  {
    name: 'a GAN-style step whose second optimizer meets NaN',
    run: async () => {
      const v = tf.tidy(() => tf.variable(tf.scalar(1)));
      try {
        return await train<number>({
          variables: [v], optimizer: { g: tf.train.sgd(0.1), d: tf.train.momentum(0.1, 0.9) }, disposeOptimizers: true, steps: 2, progress: false,
          batchAt: (s) => s,
          step: (_b, ctx) => {
            ctx.minimize(() => ({ loss: tf.square(v) as tf.Scalar }), { optimizer: 'g' });
            return ctx.minimize(() => ({ loss: tf.mul(v, NaN) as tf.Scalar }), { optimizer: 'd' });
          },
        });
      } finally {
        v.dispose();
      }
    },
    error: "train: loss is NaN at step 1 (optimizer 'd')",
  },
  ...[0, 1, 3].map((at): MalformedCase => ({
    name: `a loss that throws at step ${at + 1} after building intermediates`,
    run: () =>
      run((model) => ({
        loss: (b, ctx) => {
          const h = tf.relu(tf.matMul(model.apply(b.x) as tf.Tensor, tf.ones([1, 3])));
          const s = tf.sum(tf.square(h));
          if (ctx.step === at) throw new Error(`loss blew up at step ${at}`);
          return { loss: tf.mul(s, 0.01) as tf.Scalar };
        },
      })),
    error: `loss blew up at step ${at}`,
  })),
  {
    name: 'a loss that throws inside a model forward pass (all intermediates taped)',
    run: () => {
      let n = 0;
      return run((model) => ({ loss: undefined, step: (b, ctx) => ctx.minimize(() => {
        const p = tf.sigmoid(tf.add(model.apply(b.x) as tf.Tensor, 1));
        if (++n === 2) throw new Error('forward pass failed');
        return { loss: tf.mean(p) as tf.Scalar };
      }) }));
    },
    error: 'forward pass failed',
  },
];

// Pre-built batches: the trainer disposes what it was given and did not use.
const batchCases: MalformedCase[] = [1, 2, 3, 5].map((steps) => ({
  name: `${steps} step(s) over an epoch of 6 pre-built batches (disposeBatches: true)`,
  run: async () => {
    const data = () => XS.concat(XS.slice(0, 2)).map((x, i) => ({ x: tf.tensor2d([x]), y: tf.tensor2d([YS[i % 4]!]) }));
    return (await run({ batchAt: undefined, data, disposeBatches: true, steps })).step;
  },
  ok: (step) => expect(step).toBe(steps),
}));
batchCases.push({
  name: 'momentum optimizers are disposed completely with disposeOptimizers',
  run: async () => (await run({ optimizer: tf.train.momentum(0.1, 0.9) })).step,
  ok: (step) => expect(step).toBe(4),
});
batchCases.push({
  name: 'invalid options still dispose the optimizers given with disposeOptimizers',
  run: () => run({ optimizer: tf.train.momentum(0.1, 0.9), steps: NaN }),
  error: 'train: steps must be a positive integer, got NaN',
});

describeMalformed('trainer: count options', countCases, { numTensors });
describeMalformed('trainer: other options', numberCases, { numTensors });
describeMalformed('trainer: output folders', outputCases, { numTensors, timeoutMs: 10_000 });
describeMalformed('trainer: resumed state', stateCases, { numTensors });
describeMalformed('trainer: resume files', resumeCases, { numTensors });
describeMalformed('trainer: losses', lossCases, { numTensors });
describeMalformed('trainer: batches and optimizers', batchCases, { numTensors });
