import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
import { describeCliConventions, runCli } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url).pathname;
/** Runs the program in-process on the wasm backend. */
const run = (...args: string[]) => runCli(buildProgram(), [...args, '--backend', 'wasm']);

beforeAll(async () => {
  await initBackend('wasm');
});

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
    const train = await run('train', '--data', join(dir, 'data'), ...arch, '--steps', '2', '--batch-size', '4', '--loss', 'combined', '--clip-scope', 'all', '--out', join(dir, 'run'));
    expect(existsSync(join(dir, 'run', 'model', 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'run', 'train.jsonl'))).toBe(true);
    expect(train).toMatchObject({ code: 0, stdout: expect.stringMatching(/^trained 2 steps/) });
    // Three pairs cannot give every fold a same and a different pair, as insightface's TAR@FAR needs.
    const model = ['--model', join(dir, 'run', 'model'), '--bin', golden('pairs-p4.bin'), '--folds', '3'];
    const insightface = await run('verify', ...model);
    expect(insightface).toMatchObject({ code: 1, stderr: expect.stringMatching(/insightfaceTarAtFar: fold 0 or its training folds lack same or different pairs/) });
    const verify = await run('verify', ...model, '--protocol', 'observed-scores');
    expect(verify.stdout).toMatch(/pairs-p4\.bin: 3 pairs \(observed-scores protocol\), accuracy \d+\.\d+ ± \d+\.\d+ %, TAR@FAR=1e-3/);
    const badProtocol = await run('verify', ...model, '--protocol', 'lfw');
    expect(badProtocol).toMatchObject({ code: 2, stderr: expect.stringMatching(/Allowed choices are insightface, observed-scores/) });
  });

  it('verifies an ONNX model and rejects conflicting or invalid options', async () => {
    const onnxArch = ['--units', '1,2,1,1', '--widths', '8,8,16,16,32', '--embedding-size', '16'];
    // The fixture was exported at 32×32 (its FC expects a 2×2 map); the .bin's 16×16 images are resized.
    const ok = await run('verify', '--onnx', golden('tiny-iresnet.onnx'), ...onnxArch, '--input-size', '32', '--resize', '--bin', golden('pairs-p4.bin'), '--folds', '3', '--protocol', 'observed-scores');
    expect(ok.stdout).toMatch(/pairs-p4\.bin: 3 pairs \(observed-scores protocol\), accuracy/);
    const wrongSize = await run('verify', '--onnx', golden('tiny-iresnet.onnx'), ...onnxArch, '--input-size', '16', '--bin', golden('pairs-p4.bin'));
    expect(wrongSize).toMatchObject({ code: 1, stderr: expect.stringMatching(/node '\/fc\/Gemm' \(Gemm\) for layer 'fc': FC weight has 2048 values, the layer expects 32×16\n$/) });
    const both = await run('verify', '--bin', golden('pairs-p4.bin'));
    expect(both).toMatchObject({ code: 2, stderr: 'facelab-arcface: verify: give exactly one of --model and --onnx\n' });
    const steps = await run('train', '--data', golden(''), '--steps', 'many');
    expect(steps).toMatchObject({ code: 2, stderr: expect.stringMatching(/'--steps <n>' argument 'many' is invalid/) });
  });

  it('--json prints the verification result as JSON', async () => {
    const onnx = ['--onnx', golden('tiny-iresnet.onnx'), '--units', '1,2,1,1', '--widths', '8,8,16,16,32', '--embedding-size', '16', '--input-size', '32'];
    const r = await run('verify', ...onnx, '--resize', '--bin', golden('pairs-p4.bin'), '--folds', '3', '--protocol', 'observed-scores', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ data: golden('pairs-p4.bin'), pairs: 3, protocol: 'observed-scores' });
    // --runtime onnx: the network exported and run in onnxruntime-node gives the same verification.
    const o = await run('verify', ...onnx, '--resize', '--bin', golden('pairs-p4.bin'), '--folds', '3', '--protocol', 'observed-scores', '--json', '--runtime', 'onnx');
    expect(o.code).toBe(0);
    const [viaTfjs, viaOnnx] = [JSON.parse(r.stdout), JSON.parse(o.stdout)] as { accuracy: number; distances: number[] }[];
    expect(viaOnnx.accuracy).toBe(viaTfjs.accuracy);
    viaOnnx.distances.forEach((d, i) => expect(Math.abs(d - viaTfjs.distances[i]!)).toBeLessThan(1e-4));
    const bad = await run('verify', ...onnx, '--bin', golden('pairs-p4.bin'), '--runtime', 'torch');
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/Allowed choices are tfjs, onnx/) });
  });
});

describeCliConventions(buildProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['train'],
  missingFile: { args: ['verify', '--onnx', '/nonexistent/w600k_r50.onnx', '--bin', golden('pairs-p4.bin')], path: '/nonexistent/w600k_r50.onnx' },
  notANumber: { args: ['train', '--data', golden(''), '--steps', 'abc'], flag: '--steps' },
});
