/** Synthetic DenseReg samples from @facelab/synth: exact per-pixel U-V, its mask, and 68 landmarks. */
import { synthFace, type SynthOptions } from '@facelab/synth';
import type { DenseRegSample } from '@facelab/densereg';

/** One synthetic face as a DenseReg sample (U and V split from synth's interleaved map). */
export function synthSample(seed: number, options: SynthOptions = {}): DenseRegSample {
  const f = synthFace(seed, options);
  const n = f.size * f.size;
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    u[i] = f.uv[2 * i]!;
    v[i] = f.uv[2 * i + 1]!;
  }
  return { width: f.size, height: f.size, image: f.image, u, v, landmarks: f.landmarks, name: `synth-${seed}` };
}

/** Samples for seeds `first`, `first + 1`, … (`count` of them). */
export function synthSamples(first: number, count: number, options: SynthOptions = {}): DenseRegSample[] {
  return Array.from({ length: count }, (_, i) => synthSample(first + i, options));
}
