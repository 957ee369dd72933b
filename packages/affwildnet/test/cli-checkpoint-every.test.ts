/** facelab-affwildnet train's --checkpoint-every: the interval reaches the trainer, and a bad value is a usage error. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointFileName, initBackend } from '@facelab/core-tensor';
import { mixSeed } from '@facelab/runtime';
import { renderClip } from '@facelab/synth';
import { runCli } from '@facelab/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { writeAffWildCsv } from '../src/data/released.js';

let dir = '';
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'affwildnet-ckpt-every-'));
  const frames = renderClip(mixSeed(5, 0), { frames: 4, size: 32 }).map((f) => ({
    image: { data: f.image, width: f.size, height: f.size, channels: 3 },
    valence: f.valence,
    arousal: f.arousal,
  }));
  await writeAffWildCsv(join(dir, 'set'), [{ name: 'video_001', frames }]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const train = (out: string, ...args: string[]) =>
  runCli(buildProgram(), ['train', '--data', join(dir, 'set', 'labels.csv'), '--out', join(dir, out), '--network', 'small', '--size', '32', '--length', '4', '--batch-size', '1', '--backend', 'cpu', ...args]);

describe('facelab-affwildnet train --checkpoint-every', () => {
  it('checkpoints at the given interval (default 100, so a 3-step run keeps only its final checkpoint)', async () => {
    const every = await train('every-2', '--steps', '3', '--checkpoint-every', '2');
    expect(every.code, every.stderr).toBe(0);
    expect(await readdir(join(dir, 'every-2', 'checkpoints'))).toEqual([checkpointFileName(2), checkpointFileName(3)]);
    const plain = await train('default', '--steps', '3');
    expect(plain.code, plain.stderr).toBe(0);
    expect(await readdir(join(dir, 'default', 'checkpoints'))).toEqual([checkpointFileName(3)]);
  });
  for (const bad of ['0', '-2', '1.5', 'abc']) {
    it(`--checkpoint-every ${bad} is a usage error naming the flag`, async () => {
      const r = await train(`bad-${bad}`, '--steps', '1', '--checkpoint-every', bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--checkpoint-every');
    });
  }
});
