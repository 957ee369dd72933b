/**
 * kill -9 during training: a child process training with checkpoints is killed with SIGKILL at several points,
 * a fresh process resumes from what it left, and the final weights and optimizer state match an uninterrupted
 * run bit for bit (no checkpoint half written, no step lost or repeated, the data and noise streams restored).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonl } from '../src/index.js';
import { runScript, startScript } from './child/run-script.js';

const root = mkdtempSync(join(tmpdir(), 'facelab-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Steps logged so far in `dir`'s train.jsonl (0 before the first line). */
function loggedSteps(dir: string): number {
  const log = join(dir, 'train.jsonl');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.endsWith('}')).length : 0;
}

async function killAfter(dir: string, steps: number): Promise<void> {
  const { child, done } = await startScript('train-run', [dir], { STEP_DELAY_MS: '40' });
  const started = Date.now();
  while (loggedSteps(dir) < steps) {
    if (child.exitCode !== null) throw new Error(`the run ended before step ${steps}: ${(await done).stderr}`);
    if (Date.now() - started > 60_000) throw new Error(`no step ${steps} after 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  const r = await done;
  expect(r.signal).toBe('SIGKILL');
  expect(loggedSteps(dir)).toBeLessThan(30);
}

describe('kill -9 and resume', () => {
  it('runs killed with SIGKILL at steps 2, 7 and 16 resume to bit-identical weights and optimizer state', async () => {
    const ref = await runScript('train-run', [join(root, 'ref')]);
    expect(ref.code, ref.stderr).toBe(0);
    const expected = JSON.parse(ref.stdout) as string[];
    expect(expected.length).toBeGreaterThan(4);
    for (const at of [2, 7, 16]) {
      const dir = join(root, `killed-${at}`);
      await killAfter(dir, at);
      const resumed = await runScript('train-run', [dir, 'resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout), `killed after step ${at}`).toEqual(expected);
      expect(readJsonl(join(dir, 'train.jsonl')).map((r) => r.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    }
  });
});
