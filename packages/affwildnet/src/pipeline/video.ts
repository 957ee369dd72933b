/**
 * Valence/arousal over a video: every frame's faces (@facelab/face-detect), one face tracked (largest, then by
 * IoU), square crops at the network's frame size, the network run on consecutive clips of `length` frames, and
 * one prediction per frame at the video's frame rate.
 */
import { tf } from '@facelab/core-tensor';
import { rawToTensor, readVideoFrames, videoInfo } from '@facelab/data';
import { cropFace, FaceTracker, type Box, type FaceDetector, type FaceTrackOptions } from '@facelab/face-detect';
import { savePlot } from '@facelab/plot';
import { writeCsv } from '@facelab/runtime';
import type { ClipSet } from '../data/sets.js';
import { predictClips } from '../eval/predict.js';

/** Options of {@link predictVideoAffect}. */
export interface VideoAffectOptions extends FaceTrackOptions {
  /** Frames per clip the network sees at once (default 80, the released training's sequence length). */
  length?: number;
  /** Extra side around the face box for the square crop, as a fraction (default 0.25). */
  margin?: number;
  /** Clips per forward pass (default 4). */
  batchSize?: number;
  /** Progress: `done` frames of `total` (total 0 when the container does not say). */
  onFrame?: (done: number, total: number) => void;
}

/** One frame's answer. */
export interface FrameAffect {
  frame: number;
  /** Seconds from the start. */
  time: number;
  /** Whether the tracked face was detected in this frame (false: the box is carried from an earlier frame, or there is none). */
  detected: boolean;
  /** The crop's face box [x, y, width, height], or null when no face has been tracked. */
  box: Box | null;
  /** Predicted valence and arousal in [−1, 1], or null without a face box. */
  valence: number | null;
  arousal: number | null;
}

/** The answer of {@link predictVideoAffect}. */
export interface VideoAffect {
  video: string;
  fps: number;
  frames: FrameAffect[];
  /** Frames with a detected face. */
  detected: number;
}

function frameSizeOf(model: tf.LayersModel): number {
  const shape = model.inputs[0]!.shape;
  const size = shape.length === 5 ? shape[2] : undefined;
  if (typeof size !== 'number' || size !== shape[3]) {
    throw new Error(`predictVideoAffect: the model must take clips [N, T, size, size, 3], got [${shape}]`);
  }
  return size;
}

/**
 * Predicts valence/arousal for every frame of `video` on one tracked face. Frames before the first face (and after
 * a lost track) get null; runs of tracked frames are cut into clips of `length` and predicted clip by clip, so memory
 * stays bounded by one batch of clips.
 */
export async function predictVideoAffect(model: tf.LayersModel, detector: FaceDetector, video: string, options: VideoAffectOptions = {}): Promise<VideoAffect> {
  const size = frameSizeOf(model);
  const length = options.length ?? 80;
  const batchSize = options.batchSize ?? 4;
  if (!Number.isInteger(length) || length < 1) throw new Error(`predictVideoAffect: length must be a positive integer, got ${length}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`predictVideoAffect: batchSize must be a positive integer, got ${batchSize}`);
  const tracker = new FaceTracker(options);
  const info = await videoInfo(video);
  const per = size * size * 3;
  const frames: FrameAffect[] = [];
  // Crops waiting for the network: their frame indices and pixels, normalised (x − 128)/128.
  let pending: { frame: number; pixels: Float32Array }[] = [];

  const flush = (all: boolean) => {
    const clips: (typeof pending)[] = [];
    while (pending.length >= length || (all && pending.length > 0)) clips.push(pending.splice(0, length));
    for (let start = 0; start < clips.length; start += batchSize) {
      const group = clips.slice(start, start + batchSize);
      const set: ClipSet = {
        frames: new Float32Array(group.length * length * per),
        labels: new Float32Array(group.length * length * 2),
        mask: new Float32Array(group.length * length),
        count: group.length,
        length,
        size,
      };
      group.forEach((clip, c) =>
        clip.forEach((f, t) => {
          set.frames.set(f.pixels, (c * length + t) * per);
          set.mask![c * length + t] = 1;
        }),
      );
      const pred = predictClips(model, set, batchSize);
      group.forEach((clip, c) =>
        clip.forEach((f, t) => {
          frames[f.frame]!.valence = pred[c]![t]![0]!;
          frames[f.frame]!.arousal = pred[c]![t]![1]!;
        }),
      );
    }
  };

  for await (const frame of readVideoFrames(video)) {
    const image = rawToTensor(frame, 'uint8');
    let crop: Float32Array | undefined;
    let tracked;
    try {
      tracked = tracker.next(await detector.detect(image));
      if (tracked.box !== undefined) {
        crop = tf.tidy(() => tf.div(tf.sub(tf.cast(cropFace(image, tracked!.box!, { size, margin: options.margin }), 'float32'), 128), 128).dataSync() as Float32Array);
      }
    } finally {
      image.dispose();
    }
    frames.push({ frame: frame.index, time: frame.time, detected: tracked.detected, box: tracked.box ?? null, valence: null, arousal: null });
    if (crop !== undefined) pending.push({ frame: frames.length - 1, pixels: crop });
    else flush(true); // a lost track ends the clip: the next face starts a new one
    flush(false);
    options.onFrame?.(frames.length, info.frames);
  }
  flush(true);
  if (frames.length === 0) throw new Error(`predictVideoAffect: ${video} has no frames`);
  return { video, fps: info.fps, frames, detected: frames.filter((f) => f.detected).length };
}

/** Writes the per-frame answers as CSV (frame,time,detected,x,y,width,height,valence,arousal; empty cells for null), atomically. */
export async function writeVideoAffectCsv(path: string, result: VideoAffect): Promise<void> {
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : v);
  const rows = result.frames.map((f) => [f.frame, f.time, f.detected ? 1 : 0, ...[0, 1, 2, 3].map((k) => cell(f.box?.[k])), cell(f.valence), cell(f.arousal)]);
  await writeCsv(path, rows as (string | number)[][], { header: ['frame', 'time', 'detected', 'x', 'y', 'width', 'height', 'valence', 'arousal'] });
}

/**
 * Plots valence and arousal over time (seconds) as PNG; frames without a prediction are gaps. Returns false (and
 * writes nothing) when no frame has a prediction.
 */
export async function plotVideoAffect(path: string, result: VideoAffect, title?: string): Promise<boolean> {
  if (result.frames.every((f) => f.valence === null)) return false;
  const x = result.frames.map((f) => f.time);
  const y = (k: 'valence' | 'arousal') => result.frames.map((f) => f[k] ?? Number.NaN);
  await savePlot(path, [
    { name: 'valence', x, y: y('valence') },
    { name: 'arousal', x, y: y('arousal') },
  ], { title: title ?? `valence / arousal over ${result.video}`, xLabel: 'time (s)', yLabel: 'value' });
  return true;
}
