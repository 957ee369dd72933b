import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/index.js';

describe('readCsv', () => {
  it('a missing file rejects with its path and keeps the ENOENT cause (no unhandled stream error)', async () => {
    const path = join(tmpdir(), 'facelab-no-such-file.csv');
    const err = await readCsv(path).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`${path}: ENOENT: no such file or directory, open '${path}'`);
    expect(((err as Error).cause as { code: string }).code).toBe('ENOENT');
  });
});
