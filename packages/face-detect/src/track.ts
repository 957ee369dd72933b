/** One face followed through a video: the largest face first, then the face that overlaps it most (IoU). */
import type { DetectedFace } from './detector.js';

/** A box [x, y, width, height]. */
export type Box = [number, number, number, number];

/** Intersection over union of two boxes [x, y, width, height] (0 when either is empty). */
export function boxIou(a: readonly number[], b: readonly number[]): number {
  const w = Math.min(a[0]! + a[2]!, b[0]! + b[2]!) - Math.max(a[0]!, b[0]!);
  const h = Math.min(a[1]! + a[3]!, b[1]! + b[3]!) - Math.max(a[1]!, b[1]!);
  const inter = Math.max(0, w) * Math.max(0, h);
  const union = a[2]! * a[3]! + b[2]! * b[3]! - inter;
  return union > 0 ? inter / union : 0;
}

/** Options of {@link FaceTracker}. */
export interface FaceTrackOptions {
  /** Smallest IoU with the tracked box for a face to continue the track (default 0.3). */
  minIou?: number;
  /** Frames the last box is kept for when the face is not found (default 5); after that the track restarts. */
  maxGap?: number;
}

/** What the tracker says about one frame. */
export interface TrackedFrame {
  /** The box to crop: the matched face's, or the last one during a gap; undefined before any face and after a lost track. */
  box?: Box;
  /** The face matched in this frame, if any. */
  face?: DetectedFace;
  /** Whether this frame's face was detected (false: the box is carried from an earlier frame). */
  detected: boolean;
}

/**
 * Follows one face: starts on the largest face, continues with the face of highest IoU (≥ minIou) with the
 * previous box, keeps the last box for up to `maxGap` frames without a match, then restarts on the largest face.
 */
export class FaceTracker {
  private box: Box | undefined;
  private gap = 0;
  private readonly minIou: number;
  private readonly maxGap: number;

  constructor(options: FaceTrackOptions = {}) {
    this.minIou = options.minIou ?? 0.3;
    this.maxGap = options.maxGap ?? 5;
    if (!(this.minIou >= 0 && this.minIou <= 1)) throw new Error(`FaceTracker: minIou must be in [0, 1], got ${this.minIou}`);
    if (!Number.isInteger(this.maxGap) || this.maxGap < 0) throw new Error(`FaceTracker: maxGap must be an integer ≥ 0, got ${this.maxGap}`);
  }

  /** Takes one frame's faces (any order) and returns the tracked box. */
  next(faces: readonly DetectedFace[]): TrackedFrame {
    let face: DetectedFace | undefined;
    if (this.box !== undefined) {
      let best = this.minIou;
      for (const f of faces) {
        const iou = boxIou(f.box, this.box);
        if (iou >= best) {
          best = iou;
          face = f;
        }
      }
      if (face === undefined && this.gap >= this.maxGap) this.box = undefined;
    }
    if (this.box === undefined) face = [...faces].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
    if (face !== undefined) {
      this.box = [...face.box];
      this.gap = 0;
      return { box: [...this.box], face, detected: true };
    }
    if (this.box === undefined) return { detected: false };
    this.gap++;
    return { box: [...this.box], detected: false };
  }
}
