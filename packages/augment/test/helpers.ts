/** Test data with known structure. */
import { createFrameSequences, type FrameSequences } from '../src/data/sequences.js';

/** One plane wave of a translating pattern: spatial frequencies (cycles per image), amplitude, phase. */
export interface Wave {
  fx: number;
  fy: number;
  amp: number;
  phase: number;
}

/**
 * Frames x_t(r, c) = 0.5 + Σ_j a_j sin(2π (f_x (c − v t)/W + f_y r/H) + φ_j + start_j) of a pattern moving
 * `shift` pixels right per frame. Each wave spans the 2-D space {sin, cos}, so the centred orbit lies in a
 * 2·waves-dimensional subspace on which one step acts as a rotation by 2π f_x v / W per wave.
 */
export function translatingSinusoid(o: { height: number; width: number; frames: number; shift: number; waves: Wave[]; start?: number; name?: string }): {
  name: string;
  frames: Float32Array[];
} {
  const { height: h, width: w, shift, waves } = o;
  const start = o.start ?? 0;
  const frames = Array.from({ length: o.frames }, (_, t) => {
    const f = new Float32Array(h * w);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        let v = 0.5;
        for (const wv of waves) v += wv.amp * Math.sin(2 * Math.PI * ((wv.fx * (c - shift * (t + start))) / w + (wv.fy * r) / h) + wv.phase);
        f[r * w + c] = v;
      }
    }
    return f;
  });
  return { name: o.name ?? `start${start}`, frames };
}

/** The three-wave pattern of the PCA tests (a 6-dimensional orbit; amplitudes order the principal pairs). */
export const THREE_WAVES: Wave[] = [
  { fx: 1, fy: 0, amp: 0.3, phase: 0.2 },
  { fx: 2, fy: 1, amp: 0.12, phase: 1.1 },
  { fx: 3, fy: 2, amp: 0.05, phase: -0.7 },
];

/** Sequences of the three-wave pattern on an 8 × 16 grid moving 0.7 px per frame, from the given start frames. */
export function sinusoidSequences(starts: number[], frames = 20): FrameSequences {
  return createFrameSequences(
    starts.map((start) => translatingSinusoid({ height: 8, width: 16, frames, shift: 0.7, waves: THREE_WAVES, start })),
    [8, 16, 1],
  );
}
