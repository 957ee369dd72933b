/** One tracked face's square crop box in every frame of a video: the crop step of the video packages. */
import { tf } from '@facelab/core-tensor';
import { rawToTensor, readVideoFrames, type PixelBox } from '@facelab/data';
import { squareFaceBox } from './crop.js';
import type { FaceDetector } from './detector.js';
import { FaceTracker, type FaceTrackOptions } from './track.js';

/** Options of {@link trackFaceBoxes}. */
export interface TrackFaceBoxesOptions extends FaceTrackOptions {
  /** Extra side around the face box, as a fraction of its longer side (default 0.25). */
  margin?: number;
  /** Read the video resampled to this frame rate (default: its own), as the caller will read it. */
  fps?: number;
}

/**
 * Detects faces in every frame of `video`, follows one ({@link FaceTracker}) and returns its square box per frame
 * ({@link squareFaceBox}); frames before the first face take the first face's box, frames after a lost track the
 * last one. Throws "no face found in <video>" when no frame has a face.
 */
export async function trackFaceBoxes(detector: FaceDetector, video: string, options: TrackFaceBoxesOptions = {}): Promise<{ boxes: PixelBox[]; detected: number }> {
  const tracker = new FaceTracker(options);
  const found: (PixelBox | undefined)[] = [];
  let detected = 0;
  for await (const frame of readVideoFrames(video, options.fps === undefined ? {} : { fps: options.fps })) {
    const image = rawToTensor(frame, 'uint8');
    let faces;
    try {
      faces = await detector.detect(image as tf.Tensor3D);
    } finally {
      image.dispose();
    }
    const t = tracker.next(faces);
    if (t.detected) detected++;
    found.push(t.box === undefined ? undefined : squareFaceBox(t.box, { margin: options.margin }));
  }
  const first = found.find((b) => b !== undefined);
  if (first === undefined) throw new Error(`no face found in ${video}`);
  let last = first;
  return { boxes: found.map((b) => (last = b ?? last)), detected };
}
