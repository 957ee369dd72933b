import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgressValues, TrainingProgress } from '../src/index.js';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const s = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY: boolean; text: () => string; columns: number };
  s.isTTY = isTTY;
  s.columns = 200;
  s.text = () => chunks.join('');
  return s;
}

describe('progress formatting', () => {
  it('formats durations and values', () => {
    expect(formatDuration(59.4)).toBe('0:59');
    expect(formatDuration(61)).toBe('1:01');
    expect(formatDuration(3 * 3600 + 2 * 60 + 5)).toBe('3:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
    expect(formatProgressValues({ loss: 0.123456, lr: 0.00001, acc: undefined, n: 12346 })).toBe(
      'loss=0.1235 lr=1.000e-5 n=1.235e+4',
    );
  });
});

describe('TrainingProgress', () => {
  it('prints plain periodic lines without control codes when not a TTY', () => {
    const out = sink(false);
    let t = 0;
    const p = new TrainingProgress({ total: 10, label: 'fit', stream: out, intervalMs: 1000, now: () => t });
    p.start();
    for (let step = 1; step <= 10; step++) {
      t += 400; // 2.5 steps/s
      p.update(step, { loss: 1 / step });
    }
    p.stop();
    const lines = out.text().trim().split('\n');
    // lines at t=400 (first), 1600, 2800, 4000 (last step): at least intervalMs apart, plus the final summary
    expect(lines).toEqual([
      'fit step 1/10 loss=1.000 2.50 step/s ETA 0:04',
      'fit step 4/10 loss=0.2500 2.50 step/s ETA 0:02',
      'fit step 7/10 loss=0.1429 2.50 step/s ETA 0:01',
      'fit step 10/10 loss=0.1000 2.50 step/s ETA 0:00',
      'fit done 10/10 2.50 step/s',
    ]);
    expect(out.text()).not.toMatch(/\u001b/);
  });

  it('counts the rate from the resumed step', () => {
    let t = 0;
    const p = new TrainingProgress({ total: 100, stream: sink(false), now: () => t });
    p.start(50);
    t = 10_000;
    expect(p.timing(60)).toEqual({ rate: 1, etaSeconds: 40 });
  });

  it('draws a bar with control codes on a TTY', () => {
    const out = sink(true);
    const p = new TrainingProgress({ total: 4, label: 'fit', stream: out });
    p.start();
    p.update(3, { loss: 0.5 });
    p.stop();
    expect(out.text()).toMatch(/\u001b\[/);
    expect(out.text()).toMatch(/fit .* 3\/4 \| loss=0\.5000 \|/);
  });
});
