import { describe, expect, it } from 'vitest';
import { FaceTracker, boxIou, type DetectedFace } from '../src/index.js';

const face = (x: number, y: number, s: number): DetectedFace =>
  ({ box: [x, y, s, s], score: 1, boxScore: 1, meshScore: 1, fivePoints: [], landmarks68: [], mesh: [] }) as DetectedFace;

describe('boxIou', () => {
  it('is intersection over union, by hand', () => {
    expect(boxIou([0, 0, 10, 10], [5, 0, 10, 10])).toBeCloseTo(50 / 150, 12);
    expect(boxIou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(boxIou([0, 0, 10, 10], [20, 20, 5, 5])).toBe(0);
    expect(boxIou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });
});

describe('FaceTracker', () => {
  it('starts on the largest face, follows the overlapping one past a larger newcomer, bridges a gap, restarts after maxGap', () => {
    const t = new FaceTracker({ maxGap: 2 });
    expect(t.next([])).toEqual({ detected: false });
    expect(t.next([face(0, 0, 10), face(50, 50, 20)]).box).toEqual([50, 50, 20, 20]);
    // a larger face appears elsewhere: the track stays on the moved face (IoU 360 / 440)
    expect(t.next([face(100, 0, 40), face(52, 50, 20)]).box).toEqual([52, 50, 20, 20]);
    expect(t.next([face(100, 0, 40)])).toEqual({ box: [52, 50, 20, 20], detected: false });
    expect(t.next([face(100, 0, 40)])).toEqual({ box: [52, 50, 20, 20], detected: false });
    // gap of 2 used up: restart on the largest face
    expect(t.next([face(100, 0, 40), face(0, 0, 10)])).toMatchObject({ box: [100, 0, 40, 40], detected: true });
  });

  it('names bad options', () => {
    expect(() => new FaceTracker({ minIou: 2 })).toThrow('minIou must be in [0, 1], got 2');
    expect(() => new FaceTracker({ maxGap: -1 })).toThrow('maxGap must be an integer ≥ 0, got -1');
  });
});
