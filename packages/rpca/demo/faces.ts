/** The demo's faces: synthetic grey frontal faces (plain background, no noise) from @facelab/synth. */
import { renderFace, sampleFaceParams } from '@facelab/synth';
import type { CompletionFace, FaceCompletionData } from '@facelab/rpca';

/** A face as a column in [0, 1], with (`seen`) and without (`clean`) its occluders when `occluded`. */
function face(seed: number, size: number, occluded: boolean): CompletionFace {
  const params = sampleFaceParams(seed, { size, poseJitter: 0, clutter: false, noise: 0, occlusion: occluded ? 1 : 0 });
  const grey = (rgb: Float32Array) => Float64Array.from({ length: size * size }, (_, i) => (rgb[3 * i]! + rgb[3 * i + 1]! + rgb[3 * i + 2]!) / 3);
  const seen = grey(renderFace(params).rgb);
  const clean = occluded ? grey(renderFace({ ...params, occluders: [] }).rgb) : seen;
  return { clean, seen };
}

/** `faces` occluded faces to complete and `trainFaces` clean ones of other identities/expressions, from `seed`. */
export function syntheticCompletionFaces(size: number, faces: number, trainFaces: number, seed: number): FaceCompletionData {
  return {
    size,
    faces: Array.from({ length: faces }, (_, j) => face(seed * 100_003 + j, size, true)),
    trainFaces: Array.from({ length: trainFaces }, (_, j) => face(seed * 7_919 + 50_000 + j, size, false).clean),
  };
}
