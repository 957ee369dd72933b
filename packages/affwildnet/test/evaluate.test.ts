/** Frame-level (per clip, per video) and utterance-level (OMG-Emotion) evaluation against hand-computed CCCs. */
import { describe, expect, it } from 'vitest';
import { evaluateAffect, evaluateUtterances, utteranceMeans } from '../src/eval/affect.js';

/** CCC by its definition, population moments: 2·cov / (var_x + var_y + (mean_x − mean_y)²). */
function cccRef(x: number[], y: number[]): number {
  const m = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = m(x);
  const my = m(y);
  const cov = m(x.map((xi, i) => (xi - mx) * (y[i]! - my)));
  return (2 * cov) / (m(x.map((v) => (v - mx) ** 2)) + m(y.map((v) => (v - my) ** 2)) + (mx - my) ** 2);
}

// Video A spans clip 0 and the first two frames of clip 1; video B the last two frames of clip 1 (a released
// CSV cut into windows of 4 across the video boundary). Valence only varies; arousal = valence / 2.
const va = (v: number) => [v, v / 2];
const goldV = [[0.1, 0.3, 0.2, 0.5], [0.4, 0.0, -0.2, -0.6]];
const predV = [[0.2, 0.2, 0.3, 0.4], [0.1, 0.1, -0.5, -0.1]];
const gold = goldV.map((c) => c.map(va));
const pred = predV.map((c) => c.map(va));
const videos = [['A', 'A', 'A', 'A'], ['A', 'A', 'B', 'B']];

describe('evaluateAffect', () => {
  it('reports CCC pooled, per clip and per video (all frames of a video, across clips)', () => {
    const m = evaluateAffect(gold, pred, { videos });
    expect(m.valence.cccPooled).toBeCloseTo(cccRef(goldV.flat(), predV.flat()), 12);
    expect(m.valence.cccPerClip).toBeCloseTo((cccRef(goldV[0]!, predV[0]!) + cccRef(goldV[1]!, predV[1]!)) / 2, 12);
    const videoA = cccRef([...goldV[0]!, 0.4, 0.0], [...predV[0]!, 0.1, 0.1]);
    const videoB = cccRef([-0.2, -0.6], [-0.5, -0.1]);
    expect(m.valence.cccPerVideo).toBeCloseTo((videoA + videoB) / 2, 12);
    // Per video is not per clip here: the clips cut video A and B differently.
    expect(Math.abs(m.valence.cccPerVideo! - m.valence.cccPerClip)).toBeGreaterThan(0.1);
    expect(m.arousal.cccPerVideo).toBeCloseTo(cccRef([0.05, 0.15, 0.1, 0.25, 0.2, 0], [0.1, 0.1, 0.15, 0.2, 0.05, 0.05]) / 2 + cccRef([-0.1, -0.3], [-0.25, -0.05]) / 2, 12);
    expect(evaluateAffect(gold, pred).valence.cccPerVideo).toBeUndefined();
  });

  it('rejects mismatched inputs by name', () => {
    expect(() => evaluateAffect(gold, pred.slice(1))).toThrow(/2 gold clips but 1 predicted/);
    expect(() => evaluateAffect(gold, pred, { videos: [['A']] })).toThrow(/videos names 1 clips but there are 2/);
    expect(() => evaluateAffect(gold, pred, { videos: [['A'], ['B']] })).toThrow(/videos\[0\] names 1 frames but clip 0 has 4/);
  });
});

describe('evaluateUtterances (OMG-Emotion)', () => {
  it('is the CCC over utterances of the mean frame prediction per utterance', () => {
    // Three utterances of 2, 3 and 1 frames; gold repeats the utterance label on every frame.
    const g = [[va(0.5), va(0.5)], [va(-0.2), va(-0.2), va(-0.2)], [va(0.1)]];
    const p = [[va(0.3), va(0.5)], [va(0.0), va(-0.3), va(-0.3)], [va(0.4)]];
    expect(utteranceMeans(p).map((u) => u[0])).toEqual([0.4, expect.closeTo(-0.2, 12), 0.4]);
    const m = evaluateUtterances(g, p);
    // Hand: gold means (0.5, −0.2, 0.1), predicted means (0.4, −0.2, 0.4).
    expect(m.valence.ccc).toBeCloseTo(cccRef([0.5, -0.2, 0.1], [0.4, -0.2, 0.4]), 12);
    expect(m.valence.mse).toBeCloseTo((0.01 + 0 + 0.09) / 3, 12);
    expect(m.arousal.ccc).toBeCloseTo(cccRef([0.25, -0.1, 0.05], [0.2, -0.1, 0.2]), 12);
    // Not the frame-level CCC of the same numbers.
    expect(Math.abs(m.valence.ccc - cccRef(g.flat().map((f) => f[0]!), p.flat().map((f) => f[0]!)))).toBeGreaterThan(0.01);
    expect(() => evaluateUtterances(g, p.slice(1))).toThrow(/3 gold utterances but 2 predicted/);
    expect(() => utteranceMeans([[]])).toThrow(/utterance 0 has no frames/);
  });
});
