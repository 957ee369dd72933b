import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@facelab/test-utils';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { writeSyntheticSet } from '../demo/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'e2y-detect-'));

describe('facelab-end2you generate --detect', () => {
  it('crops the detected face of every frame instead of the whole frame, and refuses --detect with --box', async () => {
    const list = await writeSyntheticSet(join(dir, 'raw'), { seeds: [2], seconds: 0.4, size: 128 });
    const run = (...args: string[]) => runCli(buildProgram(), ['generate', '--input-list', list, '--size', '24', '--video-modalities', 'visual', '--json', ...args]);
    const whole = await run('--out', join(dir, 'whole'));
    const detected = await run('--out', join(dir, 'detected'), '--detect', '--margin', '0');
    expect(whole.code, whole.stderr).toBe(0);
    expect(detected.code, detected.stderr).toBe(0);
    const [a, b] = await Promise.all([readFile(join(dir, 'whole', 'clip2.labels.hdf5')), readFile(join(dir, 'detected', 'clip2.labels.hdf5'))]);
    expect(a.length).toBe(b.length); // same layout and shapes
    expect(a.equals(b)).toBe(false); // the face box (no margin) is smaller than the 128² frame
    const both = await run('--out', join(dir, 'x'), '--detect', '--box', '0,0,8,8');
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('--detect finds the boxes: give it without --box') });
  }, 60_000);
});
