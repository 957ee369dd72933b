import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { AUGMENT_DEMO_CONFIG, demo } from '../demo/index.js';

const dir = mkdtempSync(join(tmpdir(), 'augment-demo-'));
beforeAll(async () => {
  await initBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the demo runs end to end at a tiny size: every row filled, both figures written, no tensor leak', async () => {
  const c = AUGMENT_DEMO_CONFIG;
  const tiny: typeof c = {
    ...c,
    clips: { ...c.clips, size: 16, frames: 5 },
    trainClips: [1, 2],
    testClips: [3],
    net: { latentDim: 4, filters: [4, 4] },
    fit: { ...c.fit, steps: 3 },
    pcaDim: 4,
    persons: [10, 11],
    trainFrames: [2],
    downstream: { ...c.downstream, steps: 2, seeds: [1] },
  };
  const before = tf.memory().numTensors;
  const out = await demo({ outDir: dir, config: tiny });
  expect(tf.memory().numTensors).toBe(before);
  expect(out.rows.filter((r) => r.item.startsWith('identity accuracy'))).toHaveLength(4);
  for (const r of out.rows) expect(r.value).not.toMatch(/NaN|undefined/);
  for (const a of out.artifacts) expect(existsSync(a)).toBe(true);
});
