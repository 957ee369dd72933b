import { mkdtemp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, demo } from '../demo/index.js';

describe('demo', () => {
  it('trains both models, reports SSIM/MAE and the robustness claim, and writes the curve, grid and CSV', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'rocgan-demo-'));
    // The plumbing on a small run; `npm start` runs DEMO_CONFIG itself (numbers in the README).
    const r = await demo({ outDir, config: { ...DEMO_CONFIG, trainImages: 8, testImages: 4, steps: 2, batchSize: 4 } });
    expect(r.title).toContain('2 iterations each');
    expect(r.rows).toHaveLength(6);
    expect(r.rows[4]!.value).toMatch(/^(yes|no)/);
    for (const a of r.artifacts) expect(existsSync(a), a).toBe(true);
  });
});
