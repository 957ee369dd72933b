import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { runCli } from '@facelab/test-utils';
import { buildProgram } from '../src/cli/program.js';
import { writeFrameSequences, readFrameSequences } from '../src/data/frame-folders.js';
import { loadAugmentModel } from '../src/data/model-dir.js';
import { createFrameSequences } from '../src/data/sequences.js';
import { sinusoidSequences } from './helpers.js';

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'augment-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the program in-process on the cpu backend; resolves to its stdout lines, rejects with its error line. */
async function run(...args: string[]): Promise<string[]> {
  const r = await runCli(buildProgram(), [...args, '--backend', 'cpu']);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trimEnd().split('\n');
}

describe('facelab-augment', () => {
  it('writes and reads frame folders losslessly at 8 bits', async () => {
    const set = sinusoidSequences([0, 4], 5);
    await writeFrameSequences(join(dir, 'frames'), set);
    expect(await readdir(join(dir, 'frames'))).toEqual(['start0', 'start4']);
    const back = await readFrameSequences(join(dir, 'frames'), { channels: 1 });
    expect(back.imageShape).toEqual([8, 16, 1]);
    expect(back.names).toEqual(['start0', 'start4']);
    back.frames[1]![3]!.forEach((v, i) => expect(Math.abs(v - set.frames[1]![3]![i]!)).toBeLessThanOrEqual(0.5 / 255 + 1e-6));
  });

  it('fit --kind pca on frame folders, then generate from its model directory', async () => {
    const set = sinusoidSequences([0, 4, 9], 10);
    await writeFrameSequences(join(dir, 'train'), set);
    const fit = JSON.parse((await run('fit', join(dir, 'train'), '-o', join(dir, 'model'), '--kind', 'pca', '--grey', '--latent-dim', '6', '--json')).join('\n'));
    expect(fit.pairs).toBe(27);
    // 8-bit quantisation limits the exactness of the PCA model: far below the identity model's error.
    expect(fit.trainingErrors.latent.model).toBeLessThan(0.01 * fit.trainingErrors.latent.identity);
    const model = await loadAugmentModel(join(dir, 'model'));
    expect(model.kind).toBe('pca');
    expect(model.imageShape).toEqual([8, 16, 1]);
    model.dispose();
    await writeFrameSequences(join(dir, 'single'), createFrameSequences([{ name: 'one', frames: [set.frames[0]![0]!] }], [8, 16, 1], 1));
    const before = tf.memory().numTensors;
    const gen = JSON.parse((await run('generate', join(dir, 'model'), join(dir, 'single'), '-o', join(dir, 'gen'), '--steps', '1', '--interpolate', '1', '--json')).join('\n'));
    expect(tf.memory().numTensors).toBe(before);
    expect(gen.images).toBe(5);
    expect((await readdir(join(dir, 'gen', 'one'))).sort()).toEqual(['00000_k+0.00.png', '00000_k+0.50.png', '00000_k+1.00.png', '00000_k-0.50.png', '00000_k-1.00.png']);
  });

  it('fit trains the autoencoder briefly and saves a model directory that loads back as one', async () => {
    const out = await run('fit', join(dir, 'train'), '-o', join(dir, 'ae'), '--grey', '--latent-dim', '4', '--steps', '2', '--batch-size', '4', '--no-progress');
    expect(out[0]).toMatch(/fitted autoencoder on 27 pairs from 3 sequences \(8×16×1\)/);
    const model = await loadAugmentModel(join(dir, 'ae'));
    expect(model.kind).toBe('autoencoder');
    expect(model.latentDim).toBe(4);
    model.dispose();
  });

  it('names bad input: mismatched frame sizes, a one-frame sequence, k out of range, a missing path', async () => {
    const mixed = join(dir, 'mixed');
    await writeFrameSequences(mixed, createFrameSequences([{ name: 'a', frames: sinusoidSequences([0], 2).frames[0]! }], [8, 16, 1]));
    await writeFrameSequences(mixed, createFrameSequences([{ name: 'b', frames: [new Float32Array(16 * 8), new Float32Array(16 * 8)] }], [16, 8, 1]));
    await expect(run('fit', mixed, '-o', join(dir, 'x'), '--grey', '--kind', 'pca')).rejects.toThrow(/sequence 'b' is 16×8×1, expected 8×16×1 like 'a'/);
    await expect(run('fit', join(dir, 'single'), '-o', join(dir, 'x'), '--grey', '--kind', 'pca')).rejects.toThrow(/sequence 'one' has 1 frame; consecutive-frame pairs need at least 2/);
    await expect(run('generate', join(dir, 'model'), join(dir, 'single'), '-o', join(dir, 'g2'), '--steps', '40')).rejects.toThrow(/steps must be an integer in 1\.\.16, got 40/);
    await expect(run('fit', join(dir, 'nope'), '-o', join(dir, 'x'))).rejects.toThrow(/'.*nope' is invalid for argument 'input'\. no such file or folder/);
    await expect(run('generate', join(dir, 'nope'), join(dir, 'single'), '-o', join(dir, 'g3'))).rejects.toThrow(/'.*nope' is invalid for argument 'model'\. no such file or folder/);
    await expect(run('generate', join(dir, 'single'), join(dir, 'single'), '-o', join(dir, 'g3'))).rejects.toThrow(/cannot read augmentation model/);
  });

  it('has --help for both commands', () => {
    const help = buildProgram().commands.map((c) => c.helpInformation()).join('\n');
    expect(help).toMatch(/--latent-model <mode>/);
    expect(help).toMatch(/--interpolate <n>/);
  });
});
