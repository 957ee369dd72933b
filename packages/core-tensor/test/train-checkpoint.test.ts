import { mkdir, mkdtemp, readdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosineLr,
  initBackend,
  latestCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  readJsonl,
  saveCheckpoint,
  tf,
  train,
  type TrainOptions,
} from '../src/index.js';
import { writeFileAtomic, type Rng } from '@facelab/runtime';

let root: string;
beforeAll(async () => {
  await initBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'facelab-ckpt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };
const TOTAL = 10;

/** A fresh model + optimizer with seeded initialisers: identical every time it is built. */
function build() {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [3], units: 5, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  return { model, optimizer: tf.train.adam(0.05) };
}

/** Per-epoch data: 4 samples, shuffled with the data stream, 2 batches of 2; the step adds noise from ctx.rng. */
function options(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  extra: Partial<TrainOptions<Batch>>,
): TrainOptions<Batch> {
  const xs = [[1, 0, -1], [0.5, 2, 0], [-1, 1, 1], [2, -0.5, 0.3]];
  const ys = [[1], [-1], [0.5], [2]];
  return {
    model, optimizer, steps: TOTAL, seed: 7, progress: false, clipNorm: 1, weightDecay: 1e-3,
    lr: cosineLr({ lr: 0.05, totalSteps: TOTAL, warmupSteps: 2 }),
    data: function* (_epoch: number, rng: Rng) {
      const order = rng.shuffle([0, 1, 2, 3]);
      for (let i = 0; i < 4; i += 2) {
        const idx = order.slice(i, i + 2);
        yield { x: tf.tensor2d(idx.map((j) => xs[j]!)), y: tf.tensor2d(idx.map((j) => ys[j]!)) };
      }
    },
    loss: (b, ctx) => {
      const noise = tf.tensor2d([[ctx.rng.normal(0, 0.1)]]);
      const p = model.apply(tf.add(b.x, noise), { training: true }) as tf.Tensor;
      return { loss: tf.losses.meanSquaredError(b.y, p) as tf.Scalar };
    },
    ...extra,
  };
}

async function snapshot(model: tf.LayersModel, optimizer: tf.Optimizer): Promise<Float32Array[]> {
  const opt = (await optimizer.getWeights()).map((w) => w.tensor);
  const out = [...model.weights.map((w) => w.read()), ...opt].map((t) => new Float32Array(t.dataSync()));
  tf.dispose(opt.filter((t) => !(t instanceof tf.Variable)));
  return out;
}

describe('checkpoints and resume', () => {
  it('a killed run that resumes ends with bit-identical weights and optimizer state', async () => {
    // Uninterrupted reference run.
    const ref = build();
    await train(options(ref.model, ref.optimizer, {}));
    const expected = await snapshot(ref.model, ref.optimizer);
    ref.model.dispose();
    ref.optimizer.dispose();

    // Run killed after step 7; checkpoints every 5 steps, so it resumes from step 5, mid-epoch (batch 1 of 2).
    // At step 5, Adam's running β2 power (0.999 multiplied 6 times in float32) differs from pow(0.999, 6),
    // which tfjs's setWeights would recompute: the checkpoint must carry it.
    const dir = join(root, 'run');
    const log = join(root, 'run.jsonl');
    const first = build();
    await expect(
      train(options(first.model, first.optimizer, {
        checkpoint: { dir, every: 5 }, log,
        callbacks: { onStepEnd: (r) => { if (r.step === 7) throw new Error('killed'); } },
      })),
    ).rejects.toThrow('killed');
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([5]);
    first.model.dispose(); // throw the process state away
    first.optimizer.dispose();

    const second = build();
    const r = await train(options(second.model, second.optimizer, { checkpoint: { dir, every: 5, keep: 1 }, log, resume: true }));
    expect(r.step).toBe(TOTAL);
    expect(r.records.map((x) => x.step)).toEqual([6, 7, 8, 9, 10]);
    const got = await snapshot(second.model, second.optimizer);
    expect(got.length).toBe(expected.length);
    got.forEach((g, i) => expect(Buffer.from(g.buffer).equals(Buffer.from(expected[i]!.buffer))).toBe(true));
    // the log has each step once: the killed run's lines for steps 6 and 7 were dropped on resume
    expect(readJsonl(log).map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // only the last `keep` checkpoints are kept
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([10]);
    // resuming a finished run does nothing
    const again = await train(options(second.model, second.optimizer, { checkpoint: { dir, every: 5 }, resume: true }));
    expect(again).toMatchObject({ step: TOTAL, records: [] });
    second.model.dispose();
    second.optimizer.dispose();
  });

  it('checkpointing and resuming leak no tensors', async () => {
    const dir = join(root, 'leak');
    const { model, optimizer } = build();
    await train(options(model, optimizer, { steps: 1 })); // Adam creates its slots on the first step
    const before = tf.memory().numTensors;
    await train(options(model, optimizer, { steps: 20, checkpoint: { dir, every: 2 } }));
    expect(tf.memory().numTensors).toBe(before);
    const fresh = build();
    await train(options(fresh.model, fresh.optimizer, { steps: 1 }));
    const count = tf.memory().numTensors;
    // a restore replaces the optimizer's slots: Adam's setWeights keeps the old ones, so resume before training
    fresh.optimizer.dispose();
    const opt = tf.train.adam(0.05);
    const afterDispose = tf.memory().numTensors;
    await train(options(fresh.model, opt, { steps: 20, checkpoint: { dir, every: 2 }, resume: true }));
    expect(afterDispose).toBeLessThan(count);
    expect(tf.memory().numTensors).toBe(count); // the restored optimizer holds as many tensors as the old one
    for (const m of [model, fresh.model]) m.dispose();
    optimizer.dispose();
    opt.dispose();
  });

  it('stores every weight by name, optimizer state and the training state', async () => {
    const dir = join(root, 'contents');
    const { model, optimizer } = build();
    await train(options(model, optimizer, { steps: 2, checkpoint: { dir, every: 2 } }));
    const { state, tensors } = await loadCheckpoint<{ step: number; epoch: number; batchInEpoch: number; rngState: number }>(
      (await latestCheckpoint(dir))!,
    );
    expect(state).toMatchObject({ step: 2, epoch: 0, batchInEpoch: 2 });
    expect(typeof state.rngState).toBe('number');
    const names = [...tensors.keys()];
    for (const w of model.weights) expect(names).toContain(`model/model/${w.originalName}`);
    expect(names.filter((n) => n.includes('moving_mean')).length).toBe(1); // non-trainable weights too
    expect(names.filter((n) => n.startsWith('optimizer/default/w/')).length).toBe(1 + 2 * model.trainableWeights.length);
    expect(names).toContain('optimizer/default/x/accBeta1');
    expect(tensors.get('optimizer/default/w/0')!.dataSync()[0]).toBe(2); // iterations
    tf.dispose([...tensors.values()]);
    model.dispose();
    optimizer.dispose();
  });

  it('a truncated checkpoint gives an error naming the file', async () => {
    const dir = join(root, 'trunc');
    const { model, optimizer } = build();
    await train(options(model, optimizer, { steps: 2, checkpoint: { dir, every: 2 } }));
    const path = (await latestCheckpoint(dir))!;
    await truncate(path, 300);
    await expect(loadCheckpoint(path)).rejects.toThrow(new RegExp(`corrupt checkpoint '${path}': truncated`));
    await expect(train(options(model, optimizer, { checkpoint: { dir, every: 2 }, resume: true }))).rejects.toThrow(path);
    await truncate(path, 5);
    await expect(loadCheckpoint(path)).rejects.toThrow(/truncated: 5 bytes/);
    await expect(loadCheckpoint(join(dir, 'none.flckpt'))).rejects.toThrow(/none\.flckpt': file not found/);
    model.dispose();
    optimizer.dispose();
  });

  it('a flipped byte is caught by the checksum', async () => {
    const path = join(root, 'crc.flckpt');
    const t = tf.tensor1d([1, 2, 3]);
    await saveCheckpoint(path, { step: 1 }, [{ name: 't', tensor: t }]);
    const { readFile } = await import('node:fs/promises');
    const buf = await readFile(path);
    buf[buf.length - 1]! ^= 1;
    await writeFile(path, buf);
    await expect(loadCheckpoint(path)).rejects.toThrow(/crc\.flckpt': checksum mismatch/);
    t.dispose();
  });

  it('a crash while writing leaves the previous checkpoint intact and resumable', async () => {
    const dir = join(root, 'crash');
    const { model, optimizer } = build();
    await train(options(model, optimizer, { steps: 4, checkpoint: { dir, every: 2 } }));
    const path = (await latestCheckpoint(dir))!;
    const before = await loadCheckpoint<{ step: number }>(path);
    // a write of a new version dies halfway through...
    function* dying(): Generator<Uint8Array> {
      yield new Uint8Array(64);
      throw new Error('power cut');
    }
    await expect(writeFileAtomic(path, dying())).rejects.toThrow(/power cut/);
    // ...and a killed process left a half-written temp file behind
    await writeFile(join(dir, `.${path.split('/').at(-1)}.0123456789ab.tmp`), new Uint8Array(10));
    const after = await loadCheckpoint<{ step: number }>(path);
    expect(after.state.step).toBe(before.state.step);
    for (const [name, t] of before.tensors) expect(Array.from(after.tensors.get(name)!.dataSync())).toEqual(Array.from(t.dataSync()));
    tf.dispose([...before.tensors.values(), ...after.tensors.values()]);
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([2, 4]);
    expect((await readdir(dir)).length).toBe(3); // two checkpoints and the stray temp file, which is ignored
    model.dispose();
    optimizer.dispose();
    const fresh = build();
    const r = await train(options(fresh.model, fresh.optimizer, { steps: 6, checkpoint: { dir, every: 2 }, resume: true }));
    expect(r.records.map((x) => x.step)).toEqual([5, 6]);
    fresh.model.dispose();
    fresh.optimizer.dispose();
  });
});

describe('checkpoint listing', () => {
  it('counts regular files only: a symbolic link named like a checkpoint is not followed', async () => {
    const dir = join(root, 'links');
    const outside = join(root, 'outside');
    await mkdir(dir, { recursive: true });
    await mkdir(outside, { recursive: true });
    const w = tf.tensor1d([1, 2, 3]);
    await saveCheckpoint(join(dir, 'ckpt-000000002.flckpt'), { step: 2 }, [{ name: 'w', tensor: w }]);
    await saveCheckpoint(join(outside, 'ckpt-000000009.flckpt'), { step: 9 }, [{ name: 'w', tensor: w }]);
    w.dispose();
    await symlink(join(outside, 'ckpt-000000009.flckpt'), join(dir, 'ckpt-000000009.flckpt'));
    await symlink(outside, join(dir, 'ckpt-000000010.flckpt'));
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([2]);
    expect(await latestCheckpoint(dir)).toBe(join(dir, 'ckpt-000000002.flckpt'));
  });
});
