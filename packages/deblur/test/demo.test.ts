import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@facelab/core-tensor';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, demo } from '../demo/index.js';

describe('demo', () => {
  it('trains the identity streams and both deblurring networks, reports the three rows and the claim, writes the figures', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'deblur-demo-'));
    // The plumbing on a tiny run; `npm start` runs DEMO_CONFIG itself (numbers in the README).
    const before = tf.memory().numTensors;
    const r = await demo({
      outDir,
      config: { ...DEMO_CONFIG, size: 16, identities: 4, trainPerIdentity: 4, testPerIdentity: 2, filters: [4, 8], identitySteps: 2, steps: 2, batchSize: 4 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.title).toContain('2 steps each');
    expect(r.rows.map((x) => x.item)).toEqual(['blurred input', 'deblur-only', 'two-stream', expect.stringContaining('identity stream raises')]);
    expect(r.rows[3]!.value).toMatch(/^(yes|no) \(Δcos/);
    expect(r.scores.blurred!.identityCosine).toBeGreaterThan(-1);
    for (const a of r.artifacts) expect(existsSync(a), a).toBe(true);
  });
});
