/** Synthetic faces as tensors, for training on them directly. */
import { tf } from '@facelab/core-tensor';
import type { SynthFace } from './render.js';

/** Stacks the float images of `faces` (all the same size) into a [N, H, W, 3] float32 tensor in [0, 1]. */
export function stackSynthImages(faces: readonly SynthFace[]): tf.Tensor4D {
  if (faces.length === 0) throw new Error('stackSynthImages: no faces');
  const n = faces[0]!.size;
  const data = new Float32Array(faces.length * n * n * 3);
  faces.forEach((f, i) => {
    if (f.size !== n) throw new Error(`stackSynthImages: face ${i} is ${f.size}x${f.size}, expected ${n}x${n}`);
    data.set(f.rgb, i * n * n * 3);
  });
  return tf.tensor4d(data, [faces.length, n, n, 3]);
}
