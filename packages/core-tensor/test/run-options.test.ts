import { describe, expect, it } from 'vitest';
import { trainRunOptions } from '../src/index.js';

describe('trainRunOptions', () => {
  it('keeps only the run options of a fit options object and defaults progress', () => {
    const fit = { steps: 10, seed: 3, checkpoint: { dir: 'c', every: 2 }, resume: 'c/x', log: 'l.jsonl', curves: 'c.png' };
    expect(trainRunOptions(fit, false)).toEqual({ checkpoint: { dir: 'c', every: 2 }, resume: 'c/x', log: 'l.jsonl', curves: 'c.png', progress: false, callbacks: undefined });
    expect(trainRunOptions({ progress: true }, false).progress).toBe(true);
    expect(trainRunOptions({}, true).progress).toBe(true);
  });
});
