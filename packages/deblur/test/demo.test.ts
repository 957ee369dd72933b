import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@facelab/core-tensor';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, demo } from '../demo/index.js';

describe('demo', () => {
  it('trains the identity streams, the landmark locator and both deblurring networks (after a shared warm-up), reports the rows and the claims, writes the figures', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'deblur-demo-'));
    // The plumbing on a tiny run; `npm start` runs DEMO_CONFIG itself (numbers in the README).
    const before = tf.memory().numTensors;
    const r = await demo({
      outDir,
      config: {
        ...DEMO_CONFIG,
        size: 16,
        identities: 4,
        trainPerIdentity: 4,
        testPerIdentity: 2,
        filters: [4, 8],
        identitySteps: 2,
        evaluatorSteps: 1,
        identityBatch: 4,
        evaluatorBatch: 4,
        sharedSteps: 1,
        steps: 2,
        batchSize: 4,
        landmark: { widths: [4, 4, 4, 4], steps: 2, scale: 2 },
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.title).toContain('1 shared + 2 steps each');
    expect(r.rows.map((x) => x.item)).toEqual([
      'blurred input',
      'deblur-only',
      'two-stream',
      'sharp frame (landmark locator floor)',
      expect.stringContaining('identity stream raises'),
      expect.stringContaining('lowers the landmark error'),
    ]);
    expect(r.rows[4]!.value).toMatch(/^(yes|no) \(Δcos/);
    expect(r.rows[5]!.value).toMatch(/^(yes|no) \(NME/);
    expect(r.scores.blurred!.identityCosine).toBeGreaterThan(-1);
    for (const name of ['blurred', 'deblur-only', 'two-stream']) expect(r.scores[name]!.landmarkError).toBeGreaterThanOrEqual(0);
    expect(Object.keys(r.timings)).toEqual(['data', 'identity stream', 'evaluator', 'landmark locator', 'shared', 'deblur-only', 'two-stream', 'evaluation']);
    for (const a of r.artifacts) expect(existsSync(a), a).toBe(true);
  });
});
