/** Without the optional peer @facelab/data, CSV matrices still work and image folders fail with the fix named. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('@facelab/data', () => {
  throw new Error("Cannot find package '@facelab/data'");
});

describe('rpca matrix I/O without @facelab/data', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rpca-optional-'));
    await writeFile(join(dir, 'm.csv'), '1,2\n3,4\n');
    await writeFile(join(dir, 'face.png'), 'not decoded: the peer is missing first');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a CSV matrix', async () => {
    const { readMatrixSource } = await import('../src/data/matrix-io.js');
    const { M } = await readMatrixSource(join(dir, 'm.csv'));
    expect(M.to2DArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('names the missing peer and how to install it when asked for images', async () => {
    const { readMatrixSource } = await import('../src/data/matrix-io.js');
    await expect(readMatrixSource(dir)).rejects.toThrow(/^reading images from .+ needs the optional peer @facelab\/data \(npm install @facelab\/data\)/);
  });
});
