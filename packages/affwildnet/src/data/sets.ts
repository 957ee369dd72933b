/** In-memory training sets: clips with per-frame valence/arousal, and single faces with emotion classes. */

/** Clips as flat arrays: frames [N, T, S, S, 3] normalised to [−1, 1), labels [N, T, 2], optional mask [N, T] (0 = padding). */
export interface ClipSet {
  frames: Float32Array;
  labels: Float32Array;
  mask?: Float32Array;
  count: number;
  length: number;
  size: number;
}

/** Faces with emotion class labels: images [N, S, S, 3] normalised, labels class indices. */
export interface FaceSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
  size: number;
}
