import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Rng } from '@facelab/runtime';
import {
  EMOTION_VALENCE_AROUSAL,
  SYNTH_EMOTIONS,
  canonicalLandmarks,
  clipFrameParams,
  clipTrajectory,
  expressionFor,
  faceShape,
  identityParams,
  motionBlurParams,
  nearestEmotion,
  poseWarp,
  renderFace,
  renderMotionBlur,
  sampleFaceParams,
  smoothTrajectory,
  stackSynthImages,
  synthFace,
  warpToImage,
  type SynthFace,
} from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Bilinear RGB at a fractional pixel position. */
function rgbAt(f: SynthFace, x: number, y: number): [number, number, number] {
  const n = f.size;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const out: [number, number, number] = [0, 0, 0];
  const taps: [number, number, number][] = [[0, 0, (1 - fx) * (1 - fy)], [1, 0, fx * (1 - fy)], [0, 1, (1 - fx) * fy], [1, 1, fx * fy]];
  for (const [dx, dy, w] of taps) for (let c = 0; c < 3; c++) out[c] += w * f.rgb[3 * ((y0 + dy) * n + x0 + dx) + c]!;
  return out;
}
const colourDiff = (a: number[], b: number[]) => Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!) + Math.abs(a[2]! - b[2]!);
const lm = (f: SynthFace, i: number): [number, number] => [f.landmarks[2 * i]!, f.landmarks[2 * i + 1]!];

/** Colour change across landmark `at`, sampled `step` px either side along the line from `from` to `at`. */
function contrastAcross(f: SynthFace, at: number, from: number, step: number): number {
  const [cx, cy] = lm(f, at);
  const [ox, oy] = lm(f, from);
  const len = Math.hypot(cx - ox, cy - oy);
  const [ux, uy] = [(cx - ox) / len, (cy - oy) / len];
  return colourDiff(rgbAt(f, cx + step * ux, cy + step * uy), rgbAt(f, cx - step * ux, cy - step * uy));
}

/** Colour change over the same distance on the upper cheek (between jaw point 2 and eye point 40): a control. */
function cheekContrast(f: SynthFace, step: number): number {
  const [ax, ay] = lm(f, 2);
  const [bx, by] = lm(f, 40);
  const [mx, my] = [(ax + bx) / 2, (ay + by) / 2];
  return colourDiff(rgbAt(f, mx - step, my), rgbAt(f, mx + step, my));
}

describe('synthetic faces: determinism', () => {
  it('the same seed gives the same pixels and ground truth; another seed differs', () => {
    const a = synthFace(11, { size: 64, occlusion: 0.5 });
    const b = synthFace(11, { size: 64, occlusion: 0.5 });
    const c = synthFace(12, { size: 64, occlusion: 0.5 });
    expect(Buffer.from(a.image).equals(Buffer.from(b.image))).toBe(true);
    expect(a.landmarks).toEqual(b.landmarks);
    expect(a.uv).toEqual(b.uv);
    expect([a.valence, a.arousal, a.identity]).toEqual([b.valence, b.arousal, b.identity]);
    const differing = a.image.reduce((k, x, i) => k + (x !== c.image[i] ? 1 : 0), 0);
    expect(differing).toBeGreaterThan(a.image.length / 2);
  });

  it('identity parameters are a pure function of the id', () => {
    expect(identityParams(42)).toEqual(identityParams(42));
    expect(identityParams(42)).not.toEqual(identityParams(43));
    expect(identityParams(42, 1)).not.toEqual(identityParams(42, 0));
    // Two images of one identity share it whatever else changes.
    expect(sampleFaceParams(1, { identity: 7 }).identity).toEqual(sampleFaceParams(2, { identity: 7 }).identity);
  });

  it('renders any size and rejects bad input with a clear error', () => {
    for (const size of [48, 64, 96, 112]) {
      const f = synthFace(3, { size });
      expect(f.image.length).toBe(size * size * 3);
      expect(f.uv.length).toBe(size * size * 2);
    }
    expect(() => synthFace(1, { size: 4 })).toThrow(/size must be an integer/);
    expect(() => synthFace(1, { valenceArousal: [1.5, 0] })).toThrow(/valence and arousal must be in \[-1, 1\]/);
    expect(() => synthFace(1, { emotion: 'Bored' as never })).toThrow(/unknown emotion 'Bored'/);
    expect(() => synthFace(1, { identities: 0 })).toThrow(/identities must be a positive integer/);
    expect(() => identityParams(-1)).toThrow(/id must be a non-negative integer, got -1/);
    expect(() => expressionFor(0, 2)).toThrow(/must be in \[-1, 1\], got \(0, 2\)/);
    expect(() => poseWarp({ rotation: 0, scale: 1, tx: 0, ty: 0, yaw: 1.5 }, 96)).toThrow(/pose.yaw must be in/);
    expect(() => clipTrajectory(1, { frames: 0 })).toThrow(/clip frames must be a positive integer, got 0/);
  });
});

describe('synthetic faces: landmarks agree with the drawing', () => {
  const faces = Array.from({ length: 12 }, (_, s) => synthFace(s, { size: 128, clutter: false, noise: 0, poseJitter: 0.5 }));

  it('eye corners 36, 39, 42, 45 lie on the eye contour: the colour changes across them', () => {
    for (const f of faces) {
      const control = cheekContrast(f, 1.5);
      expect(control).toBeLessThan(0.08);
      for (const [corner, other] of [[36, 39], [39, 36], [42, 45], [45, 42]] as const) {
        const across = contrastAcross(f, corner, other, 1.5);
        expect(across).toBeGreaterThan(Math.max(0.12, 2 * control));
      }
    }
  });

  it('mouth corners 48 and 54 lie on the mouth: lip colour inside, skin outside', () => {
    for (const f of faces) {
      const control = cheekContrast(f, 1.5);
      // Across each corner along the lip midline, which runs through the inner corner (60, 64).
      for (const [corner, inner] of [[48, 60], [54, 64]] as const) {
        expect(contrastAcross(f, corner, inner, 1.5)).toBeGreaterThan(Math.max(0.08, 2 * control));
      }
    }
  });

  it('jaw landmarks 2–14 lie on the face outline and inner landmarks inside the face mask', () => {
    for (const f of faces) {
      const n = f.size;
      const maskAt = (x: number, y: number) => f.mask[Math.round(y) * n + Math.round(x)]!;
      for (let i = 2; i <= 14; i++) {
        const [x, y] = lm(f, i);
        const around = [-1.5, 0, 1.5].flatMap((dx) => [-1.5, 0, 1.5].map((dy) => maskAt(x + dx, y + dy)));
        expect(around).toContain(0);
        expect(around).toContain(1);
      }
      for (let i = 27; i < 68; i++) expect(maskAt(...lm(f, i))).toBe(1);
    }
  });
});

describe('synthetic faces: dense UV ground truth', () => {
  it('is exactly -1 off the face, in [0, 1] on it, and mask = (uv != -1)', () => {
    for (let s = 0; s < 5; s++) {
      const f = synthFace(s, { size: 96 });
      let on = 0;
      for (let i = 0; i < f.size * f.size; i++) {
        const [u, v] = [f.uv[2 * i]!, f.uv[2 * i + 1]!];
        if (f.mask[i]) {
          on++;
          expect(u >= 0 && u <= 1 && v >= 0 && v <= 1).toBe(true);
        } else {
          expect([u, v]).toEqual([-1, -1]);
        }
      }
      expect(on).toBeGreaterThan(0.15 * f.size * f.size);
    }
  });

  it('is continuous: neighbour differences stay under the warp\'s Lipschitz bound', () => {
    for (let s = 0; s < 5; s++) {
      const p = sampleFaceParams(s, { size: 96 });
      const f = renderFace(p);
      const w = poseWarp(p.pose, p.size);
      // One pixel step moves canonical u by at most (1+|a|)/(1-|a|)/ppu, v by 1/ppu; U=(u+1)/2, V=(v+1.2)/2.4.
      const stretch = (1 + Math.abs(w.a)) / (1 - Math.abs(w.a));
      const bound = (Math.SQRT2 * stretch) / w.ppu / 2;
      const n = f.size;
      let worst = 0;
      for (let y = 0; y < n - 1; y++) {
        for (let x = 0; x < n - 1; x++) {
          const i = y * n + x;
          for (const j of [i + 1, i + n]) {
            if (!f.mask[i] || !f.mask[j]) continue;
            worst = Math.max(worst, Math.abs(f.uv[2 * i]! - f.uv[2 * j]!), Math.abs(f.uv[2 * i + 1]! - f.uv[2 * j + 1]!));
          }
        }
      }
      expect(worst).toBeGreaterThan(0);
      expect(worst).toBeLessThanOrEqual(bound);
    }
  });

  it('inverts the warp: each face pixel\'s UV maps forward onto the pixel itself', () => {
    const p = sampleFaceParams(4, { size: 96 });
    const f = renderFace(p);
    const w = poseWarp(p.pose, p.size);
    let checked = 0;
    for (let i = 0; i < f.size * f.size; i += 7) {
      if (!f.mask[i]) continue;
      const [x, y] = warpToImage(w, 2 * f.uv[2 * i]! - 1, 2.4 * f.uv[2 * i + 1]! - 1.2);
      expect(Math.abs(x - (i % f.size))).toBeLessThan(1e-3);
      expect(Math.abs(y - Math.floor(i / f.size))).toBeLessThan(1e-3);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('UV at a landmark pixel matches the landmark\'s canonical coordinates', () => {
    const p = sampleFaceParams(9, { size: 112, poseJitter: 0 });
    const f = renderFace(p);
    const canon = canonicalLandmarks(faceShape(p.identity, p.expression));
    const ppu = poseWarp(p.pose, p.size).ppu;
    for (let k = 27; k < 68; k++) {
      const i = Math.round(f.landmarks[2 * k + 1]!) * f.size + Math.round(f.landmarks[2 * k]!);
      // Rounding moves at most half a pixel in x and y: 0.5/ppu canonical units.
      expect(Math.abs(2 * f.uv[2 * i]! - 1 - canon[2 * k]!)).toBeLessThanOrEqual(0.5 / ppu + 1e-5);
      expect(Math.abs(2.4 * f.uv[2 * i + 1]! - 1.2 - canon[2 * k + 1]!)).toBeLessThanOrEqual(0.5 / ppu + 1e-5);
    }
  });
});

describe('synthetic faces: emotions and expressions', () => {
  it('places the prototypes in their circumplex quadrants and maps each to itself', () => {
    const va = EMOTION_VALENCE_AROUSAL;
    expect(va.Happy[0]).toBeGreaterThan(0.5);
    expect(va.Sad[0]).toBeLessThan(0);
    expect(va.Sad[1]).toBeLessThan(0);
    for (const e of ['Angry', 'Fear', 'Surprise'] as const) expect(va[e][1]).toBeGreaterThan(0.5);
    for (const e of ['Angry', 'Disgust', 'Fear', 'Sad'] as const) expect(va[e][0]).toBeLessThan(-0.3);
    expect(va.Neutral).toEqual([0, 0]);
    SYNTH_EMOTIONS.forEach((e, i) => expect(nearestEmotion(...va[e])).toBe(i));
    expect(SYNTH_EMOTIONS).toEqual(['Angry', 'Disgust', 'Fear', 'Happy', 'Neutral', 'Sad', 'Surprise']);
  });

  it('gives each emotion its prototypical expression', () => {
    const x = Object.fromEntries(SYNTH_EMOTIONS.map((e) => [e, expressionFor(...EMOTION_VALENCE_AROUSAL[e], e)]));
    const neutral = x.Neutral!;
    expect(neutral.mouthCurve).toBe(0);
    expect(x.Happy!.mouthCurve).toBeGreaterThan(0.8);
    expect(x.Sad!.mouthCurve).toBeLessThan(-0.6);
    expect(x.Sad!.browInnerRaise).toBeGreaterThan(0.5);
    expect(x.Angry!.browInnerRaise).toBeLessThan(-0.5);
    expect(x.Fear!.browInnerRaise).toBeGreaterThan(0.5);
    expect(x.Fear!.eyeOpen).toBeGreaterThan(1.5);
    expect(x.Surprise!.mouthOpen).toBeGreaterThan(0.8);
    expect(x.Surprise!.browRaise).toBeGreaterThan(0.8);
    expect(x.Disgust!.noseWrinkle).toBeGreaterThan(0.9);
    expect(x.Disgust!.upperLipRaise).toBeGreaterThan(0.8);
    for (const e of SYNTH_EMOTIONS) if (e !== 'Disgust') expect(x[e]!.noseWrinkle).toBe(0);
  });

  it('draws it: smiles lift the mouth corners above the lip centre, sadness drops them', () => {
    const cornerLift = (emotion: 'Happy' | 'Sad') => {
      const f = synthFace(5, { size: 96, emotion, poseJitter: 0, identity: 3 });
      const corners = (f.landmarks[48 * 2 + 1]! + f.landmarks[54 * 2 + 1]!) / 2;
      const centre = (f.landmarks[51 * 2 + 1]! + f.landmarks[57 * 2 + 1]!) / 2;
      return centre - corners; // image y grows downward
    };
    expect(cornerLift('Happy')).toBeGreaterThan(2);
    expect(cornerLift('Sad')).toBeLessThan(-1);
  });

  it('labels sampled faces with the requested class near its prototype', () => {
    for (let s = 0; s < 20; s++) {
      const p = sampleFaceParams(s, { emotion: 'Fear' });
      expect(SYNTH_EMOTIONS[p.emotion]).toBe('Fear');
      expect(Math.hypot(p.valence - -0.4, p.arousal - 0.85)).toBeLessThan(0.4);
    }
  });
});

describe('synthetic clips and motion blur', () => {
  it('trajectories are smooth: per-frame change within 2π·amplitude·maxHz/fps, yet they move', () => {
    const x = smoothTrajectory(new Rng(1), 500, 25, 0, 0.7, 0.5);
    const bound = (2 * Math.PI * 0.7 * 0.5) / 25;
    let maxStep = 0;
    for (let i = 1; i < x.length; i++) maxStep = Math.max(maxStep, Math.abs(x[i]! - x[i - 1]!));
    expect(maxStep).toBeLessThanOrEqual(bound);
    expect(Math.max(...x) - Math.min(...x)).toBeGreaterThan(0.5);
    const t = clipTrajectory(3, { frames: 200 });
    for (const series of [t.valence, t.arousal, Float64Array.from(t.poses, (p) => p.yaw)]) {
      for (let i = 1; i < series.length; i++) expect(Math.abs(series[i]! - series[i - 1]!)).toBeLessThanOrEqual(bound);
    }
  });

  it('a clip keeps one identity and backdrop; labels follow the trajectory', () => {
    const frames = clipFrameParams(8, { frames: 10, size: 48 });
    const t = clipTrajectory(8, { frames: 10 });
    expect(new Set(frames.map((p) => p.identity.id)).size).toBe(1);
    expect(new Set(frames.map((p) => p.backgroundSeed)).size).toBe(1);
    expect(new Set(frames.map((p) => p.noiseSeed)).size).toBe(10);
    frames.forEach((p, i) => {
      expect([p.valence, p.arousal]).toEqual([t.valence[i], t.arousal[i]]);
      expect(p.emotion).toBe(nearestEmotion(p.valence, p.arousal));
    });
    const sad = clipFrameParams(8, { frames: 10, emotion: 'Sad' });
    expect(sad.every((p) => p.emotion === 5)).toBe(true);
  });

  it('motion blur is the mean of the sub-frames; the sharp target is the middle one', () => {
    const base = sampleFaceParams(2, { size: 64 });
    const subs = motionBlurParams(base, 2, { subFrames: 5, extent: 6 });
    const sample = renderMotionBlur(subs);
    const frames = subs.map((p) => renderFace(p).rgb);
    let maxErr = 0;
    let blurVsSharp = 0;
    for (let k = 0; k < sample.blurred.length; k++) {
      const mean = frames.reduce((acc, f) => acc + f[k]!, 0) / frames.length;
      maxErr = Math.max(maxErr, Math.abs(sample.blurred[k]! - mean));
      blurVsSharp += Math.abs(sample.blurred[k]! - sample.sharp.rgb[k]!);
    }
    expect(maxErr).toBeLessThan(1e-6);
    expect(sample.sharp.rgb).toEqual(frames[2]);
    expect(blurVsSharp / sample.blurred.length).toBeGreaterThan(0.005);
    // The path is centred: the middle sub-frame has the base pose.
    expect(subs[2]!.pose).toEqual(base.pose);
    expect(() => motionBlurParams(base, 2, { subFrames: 4 })).toThrow(/odd positive integer/);
  });
});

describe('synthetic faces: styles, occluders, tensors', () => {
  it('the two styles are visually different datasets', () => {
    // Mean colourfulness (max−min channel) and mean gradient energy, over 10 faces each.
    const stats = (style: 'studio' | 'wild') => {
      let colour = 0;
      let grad = 0;
      for (let s = 0; s < 10; s++) {
        const f = synthFace(s, { size: 64, style });
        for (let i = 0; i < 64 * 64; i++) {
          const px = [f.rgb[3 * i]!, f.rgb[3 * i + 1]!, f.rgb[3 * i + 2]!];
          colour += Math.max(...px) - Math.min(...px);
          if (i % 64 < 63) grad += Math.abs(f.rgb[3 * i]! - f.rgb[3 * i + 3]!);
        }
      }
      return { colour, grad };
    };
    const a = stats('studio');
    const b = stats('wild');
    expect(b.colour).toBeGreaterThan(2 * a.colour);
    expect(b.grad).toBeGreaterThan(2 * a.grad);
  });

  it('occluders mark an occlusion mask; none without them', () => {
    const withOcc = synthFace(1, { size: 64, occlusion: 1 });
    const without = synthFace(1, { size: 64, occlusion: 0 });
    expect(withOcc.occlusion.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(without.occlusion.every((x) => x === 0)).toBe(true);
  });

  it('stacks faces into a tensor without leaking', () => {
    const faces = [synthFace(1, { size: 32 }), synthFace(2, { size: 32 })];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      const t = stackSynthImages(faces);
      expect(t.shape).toEqual([2, 32, 32, 3]);
      t.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    const t = stackSynthImages(faces);
    expect(t.dataSync()[3 * 32 * 32 + 5]).toBeCloseTo(faces[1]!.rgb[5]!, 6);
    t.dispose();
    expect(() => stackSynthImages([faces[0]!, synthFace(1, { size: 48 })])).toThrow(/face 1 is 48x48/);
  });
});
