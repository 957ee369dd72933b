import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { decodeImage, encodeImage } from '@facelab/data';
import { runCli } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { imageScores } from '../src/index.js';
import { smoothImages } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** Runs the program in-process on the wasm backend; resolves to its stdout, rejects with its error line. */
async function run(args: string[]): Promise<string> {
  const r = await runCli(buildProgram(), [...args, '--backend', 'wasm']);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const TINY_FLAGS = ['--image-size', '32', '--channels', '8,8,16,16', '--dis-channels', '8,8,8'];

describe('facelab-rocgan', () => {
  it('train → evaluate → predict on an image folder, with --json summaries', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rocgan-cli-'));
    const data = join(root, 'faces');
    await mkdir(data);
    const images = smoothImages(3, 32);
    for (const [i, img] of images.entries()) {
      await writeFile(join(data, `f${i}.png`), await encodeImage({ data: img, width: 32, height: 32, channels: 3 }, 'png'));
    }
    const out = join(root, 'run');
    const before = tf.memory().numTensors;
    const train = JSON.parse(await run(['train', '--data', data, ...TINY_FLAGS, '--steps', '2', '--batch-size', '2', '--no-progress', '--json', '--out', out]));
    expect(train).toMatchObject({ variant: 'rocgan', steps: 2, stopReason: 'steps', checkpoints: join(out, 'checkpoints') });
    expect(existsSync(join(out, 'train.jsonl'))).toBe(true);

    const csv = join(root, 'scores.csv');
    const ev = JSON.parse(await run(['evaluate', '--model', join(out, 'checkpoints'), '--data', data, '--csv', csv, '--json']));
    expect(ev.images).toBe(3);
    expect(ev.mean.ssim).toBeGreaterThan(-1);
    expect(existsSync(csv)).toBe(true);

    const pred = JSON.parse(await run(['predict', '--model', join(out, 'checkpoints'), '--input', data, '--out', join(root, 'pred'), '--json']));
    expect(pred.written).toEqual([0, 1, 2].map((i) => join(root, 'pred', `f${i}.png`)));
    const restored = await decodeImage(pred.written[0]);
    expect([restored.width, restored.height, restored.channels]).toEqual([32, 32, 3]);
    expect(imageScores(restored.data, images[0]!, 32).mae).toBeLessThan(255);
    expect(tf.memory().numTensors).toBe(before);

    // Bad input: a checkpoint folder without the model file, an image of the wrong size.
    await expect(run(['evaluate', '--model', root, '--data', data])).rejects.toThrow(
      `${join(root, 'rocgan-model.json')}: cannot read the model description`,
    );
    await writeFile(
      join(root, 'big.png'),
      await encodeImage({ data: new Uint8Array(64 * 64 * 3), width: 64, height: 64, channels: 3 }, 'png'),
    );
    await expect(
      run(['predict', '--model', join(out, 'checkpoints'), '--input', join(root, 'big.png'), '--out', join(root, 'pred')]),
    ).rejects.toThrow(`${join(root, 'big.png')}: expected a 32×32 RGB image, got 64×64 with 3 channels`);
  });

  it('--help lists the commands; bad flags are refused by name', async () => {
    const help = buildProgram().helpInformation();
    for (const c of ['train', 'evaluate', 'predict']) expect(help).toContain(c);
    await expect(run(['train', '--data', '.', '--variant', 'pix2pix'])).rejects.toThrow(
      /option '--variant <name>' argument 'pix2pix' is invalid\. Allowed choices are rocgan, cgan/,
    );
  });
});
