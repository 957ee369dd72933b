import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../src/cli/program.js';

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url).pathname;
/** Runs the program in-process; commander errors throw instead of exiting. */
function run(...args: string[]) {
  const program = buildProgram().exitOverride();
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: () => undefined });
  return program.parseAsync(['node', 'facelab-arcface', '--backend', 'wasm', ...args]);
}

beforeAll(async () => {
  await initBackend('wasm');
});
afterEach(() => vi.restoreAllMocks());

describe('facelab-arcface CLI', () => {
  it('trains on a folder per identity, saves the model, and verifies with it on a .bin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arcface-cli-'));
    for (const id of ['a', 'b']) {
      await mkdir(join(dir, 'data', id), { recursive: true });
      for (const k of [1, 2]) {
        const img = tf.tidy(() => tf.randomUniform([16, 16, 3], 0, 1, 'float32', id.charCodeAt(0) * 10 + k) as tf.Tensor3D);
        await writeImage(join(dir, 'data', id, `${k}.png`), img);
        img.dispose();
      }
    }
    const arch = ['--units', '1,1,1,1', '--widths', '8,8,8,8,8', '--input-size', '16', '--embedding-size', '8'];
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await run('train', '--data', join(dir, 'data'), ...arch, '--steps', '2', '--batch-size', '4', '--loss', 'combined', '--clip-scope', 'all', '--out', join(dir, 'run'));
    expect(existsSync(join(dir, 'run', 'model', 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'run', 'train.jsonl'))).toBe(true);
    expect(log.mock.calls.flat().join('\n')).toMatch(/trained 2 steps/);
    // Three pairs cannot give every fold a same and a different pair, as insightface's TAR@FAR needs.
    const model = ['--model', join(dir, 'run', 'model'), '--bin', golden('pairs-p4.bin'), '--folds', '3'];
    await expect(run('verify', ...model)).rejects.toThrow(/insightfaceTarAtFar: fold 0 or its training folds lack same or different pairs/);
    await run('verify', ...model, '--protocol', 'observed-scores');
    expect(log.mock.calls.flat().join('\n')).toMatch(/pairs-p4\.bin: 3 pairs \(observed-scores protocol\), accuracy \d+\.\d+ ± \d+\.\d+ %, TAR@FAR=1e-3/);
    await expect(run('verify', ...model, '--protocol', 'lfw')).rejects.toThrow(/Allowed choices are insightface, observed-scores/);
  });

  it('verifies an ONNX model and rejects conflicting or invalid options', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const onnxArch = ['--units', '1,2,1,1', '--widths', '8,8,16,16,32', '--embedding-size', '16'];
    // The fixture was exported at 32×32 (its FC expects a 2×2 map); the .bin's 16×16 images are resized.
    await run('verify', '--onnx', golden('tiny-iresnet.onnx'), ...onnxArch, '--input-size', '32', '--resize', '--bin', golden('pairs-p4.bin'), '--folds', '3', '--protocol', 'observed-scores');
    expect(log.mock.calls.flat().join('\n')).toMatch(/pairs-p4\.bin: 3 pairs \(observed-scores protocol\), accuracy/);
    await expect(run('verify', '--onnx', golden('tiny-iresnet.onnx'), ...onnxArch, '--input-size', '16', '--bin', golden('pairs-p4.bin'))).rejects.toThrow(
      /node '\/fc\/Gemm' \(Gemm\) for layer 'fc': FC weight has 2048 values, the layer expects 32×16/,
    );
    await expect(run('verify', '--bin', golden('pairs-p4.bin'))).rejects.toThrow(/exactly one of --model and --onnx/);
    await expect(run('train', '--data', 'x', '--steps', 'many')).rejects.toThrow(/--steps must be a non-negative integer/);
  });
});
