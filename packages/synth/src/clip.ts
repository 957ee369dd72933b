/**
 * Clips of one identity: valence/arousal and head pose follow smooth trajectories (sums of low-frequency
 * sinusoids with random frequencies and phases) over a fixed backdrop. Motion blur averages sub-frames of a
 * face moving along a short curved path; the middle sub-frame is the sharp target.
 */
import { checkPositiveInt, Rng, mixSeed } from '@facelab/runtime';
import { EMOTION_VALENCE_AROUSAL, SYNTH_EMOTIONS, expressionFor, nearestEmotion } from './emotions.js';
import type { Pose } from './pose.js';
import { quantize, renderFace, type FaceParams, type SynthFace } from './render.js';
import { sampleFaceParams, type SynthOptions } from './sample.js';

/** Options of {@link clipTrajectory} and {@link clipFrameParams}. */
export interface ClipOptions extends Omit<SynthOptions, 'valenceArousal' | 'poseJitter'> {
  /** Number of frames. */
  frames: number;
  /** Frame rate (default 25); trajectories are defined in seconds. */
  fps?: number;
  /** Highest frequency of the trajectories in Hz (default 0.5). */
  maxHz?: number;
  /** Peak deviation of valence/arousal from their centre (default 0.7, or 0.15 around an emotion's prototype). */
  affectRange?: number;
  /** Amount of head motion (default 1; 0 = still). */
  motion?: number;
}

/** Per-frame valence, arousal and pose of a clip. */
export interface ClipTrajectory {
  valence: Float64Array;
  arousal: Float64Array;
  poses: Pose[];
}

/**
 * `frames` samples at `fps` of centre + Σ₃ Aₖ sin(2π fₖ t + φₖ) with Σ Aₖ = amplitude and fₖ ≤ maxHz, clamped to
 * [lo, hi]. Its per-frame change is at most 2π·amplitude·maxHz/fps.
 */
export function smoothTrajectory(
  rng: Rng,
  frames: number,
  fps: number,
  centre: number,
  amplitude: number,
  maxHz: number,
  lo = -Infinity,
  hi = Infinity,
): Float64Array {
  const weights = [rng.uniform(0.2, 1), rng.uniform(0.2, 1), rng.uniform(0.2, 1)];
  const total = weights.reduce((a, b) => a + b, 0);
  const waves = weights.map((w) => ({
    amp: (amplitude * w) / total,
    hz: rng.uniform(0.1, 1) * maxHz,
    phase: rng.uniform(0, 2 * Math.PI),
  }));
  const out = new Float64Array(frames);
  for (let i = 0; i < frames; i++) {
    let x = centre;
    for (const w of waves) x += w.amp * Math.sin((2 * Math.PI * w.hz * i) / fps + w.phase);
    out[i] = Math.max(lo, Math.min(hi, x));
  }
  return out;
}

function checkClip(o: ClipOptions): void {
  checkPositiveInt(o.frames, 'clip frames');
  if (o.fps !== undefined && !(o.fps > 0)) throw new Error(`clip fps must be positive, got ${o.fps}`);
}

/** The valence/arousal and pose trajectories of clip `seed`. */
export function clipTrajectory(seed: number, options: ClipOptions): ClipTrajectory {
  checkClip(options);
  const rng = new Rng(mixSeed(seed, 0xc1));
  const { frames } = options;
  const fps = options.fps ?? 25;
  const hz = options.maxHz ?? 0.5;
  const [cv, ca] = options.emotion ? EMOTION_VALENCE_AROUSAL[options.emotion] : [rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3)];
  const range = options.affectRange ?? (options.emotion ? 0.15 : 0.7);
  const valence = smoothTrajectory(rng, frames, fps, cv, range, hz, -1, 1);
  const arousal = smoothTrajectory(rng, frames, fps, ca, range, hz, -1, 1);
  const m = options.motion ?? 1;
  const rotation = smoothTrajectory(rng, frames, fps, 0, 0.15 * m, hz);
  const yaw = smoothTrajectory(rng, frames, fps, 0, 0.35 * m, hz);
  const tx = smoothTrajectory(rng, frames, fps, 0, 0.04 * m, hz);
  const ty = smoothTrajectory(rng, frames, fps, 0, 0.04 * m, hz);
  const scale = smoothTrajectory(rng, frames, fps, 1, 0.06 * m, hz);
  const poses = Array.from({ length: frames }, (_, i) => ({
    rotation: rotation[i]!,
    scale: scale[i]!,
    tx: tx[i]!,
    ty: ty[i]!,
    yaw: yaw[i]!,
  }));
  return { valence, arousal, poses };
}

/**
 * The per-frame parameters of clip `seed`: one identity, backdrop and lighting for all frames (drawn like
 * sampleFaceParams(seed)), affect and pose from {@link clipTrajectory}, fresh sensor noise per frame. With
 * `emotion` set, every frame is labelled with it; otherwise each frame gets its nearest emotion.
 */
export function clipFrameParams(seed: number, options: ClipOptions): FaceParams[] {
  const traj = clipTrajectory(seed, options);
  const base = sampleFaceParams(seed, { ...options, valenceArousal: [0, 0] });
  const fixed = options.emotion ? SYNTH_EMOTIONS.indexOf(options.emotion) : -1;
  return traj.poses.map((pose, i) => {
    const valence = traj.valence[i]!;
    const arousal = traj.arousal[i]!;
    const emotion = fixed >= 0 ? fixed : nearestEmotion(valence, arousal);
    return {
      ...base,
      valence,
      arousal,
      emotion,
      expression: expressionFor(valence, arousal, SYNTH_EMOTIONS[emotion]),
      pose,
      noiseSeed: mixSeed(base.noiseSeed, i),
    };
  });
}

/** Renders clip `seed` frame by frame. */
export function renderClip(seed: number, options: ClipOptions): SynthFace[] {
  return clipFrameParams(seed, options).map(renderFace);
}

/** Options of {@link motionBlurParams}. */
export interface MotionBlurOptions {
  /** Number of sub-frames, odd so that one is in the middle (default 7). */
  subFrames?: number;
  /** Length of the motion path in pixels (default 8 % of the image size). */
  extent?: number;
}

/**
 * Sub-frame parameters of `base` moving along a curved path (a random direction with a bend and a slight
 * rotation) centred on `base`'s pose; sensor noise is off so the average is exactly the blur.
 */
export function motionBlurParams(base: FaceParams, seed: number, options: MotionBlurOptions = {}): FaceParams[] {
  const n = options.subFrames ?? 7;
  if (!(Number.isInteger(n) && n >= 1 && n % 2 === 1)) throw new Error(`subFrames must be an odd positive integer, got ${n}`);
  const rng = new Rng(mixSeed(seed, 0xb1));
  const extent = (options.extent ?? 0.08 * base.size) / base.size;
  const dir = rng.uniform(0, 2 * Math.PI);
  const bend = rng.uniform(-0.3, 0.3);
  const spin = rng.uniform(-0.06, 0.06);
  return Array.from({ length: n }, (_, i) => {
    const s = n === 1 ? 0 : i / (n - 1) - 0.5;
    const along = extent * s;
    const across = extent * bend * s * s;
    const p = base.pose;
    return {
      ...base,
      noise: 0,
      pose: {
        ...p,
        tx: p.tx + along * Math.cos(dir) - across * Math.sin(dir),
        ty: p.ty + along * Math.sin(dir) + across * Math.cos(dir),
        rotation: p.rotation + spin * s,
      },
    };
  });
}

/** A motion-blurred image and its sharp target. */
export interface MotionBlurSample {
  /** Mean of the sub-frames' float RGB (HWC, [0, 1]). */
  blurred: Float32Array;
  /** `blurred` quantised to bytes. */
  blurredImage: Uint8Array;
  /** The middle sub-frame with its ground truth. */
  sharp: SynthFace;
}

/** Renders the sub-frames and averages them; the middle sub-frame is the sharp target. */
export function renderMotionBlur(subFrames: readonly FaceParams[]): MotionBlurSample {
  if (subFrames.length % 2 !== 1) throw new Error(`renderMotionBlur: need an odd number of sub-frames, got ${subFrames.length}`);
  const faces = subFrames.map(renderFace);
  const blurred = new Float32Array(faces[0]!.rgb.length);
  for (const f of faces) for (let k = 0; k < blurred.length; k++) blurred[k] += f.rgb[k]!;
  for (let k = 0; k < blurred.length; k++) blurred[k] /= faces.length;
  return { blurred, blurredImage: quantize(blurred), sharp: faces[(faces.length - 1) >> 1]! };
}
