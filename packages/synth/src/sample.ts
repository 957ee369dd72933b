/**
 * Random face parameters for datasets: identity from a pool, affect (continuous or by emotion class), pose,
 * lighting, backdrop, occluders and noise, all drawn from one seed.
 */
import { checkPositiveInt, Rng, mixSeed } from '@facelab/runtime';
import { EMOTION_VALENCE_AROUSAL, SYNTH_EMOTIONS, expressionFor, nearestEmotion, type SynthEmotion } from './emotions.js';
import { identityParams } from './identity.js';
import type { Pose } from './pose.js';
import type { Shape } from './raster.js';
import { renderFace, type FaceParams, type SynthFace } from './render.js';
import { sampleLighting, sampleNoiseLevel, type SynthStyle } from './style.js';

/** Options of {@link sampleFaceParams} and {@link synthFace}. */
export interface SynthOptions {
  /** Image size in pixels (default 96). */
  size?: number;
  /** Rendering style (default 'studio'). */
  style?: SynthStyle;
  /** A fixed identity id; otherwise one of `identities` ids is drawn. */
  identity?: number;
  /** Size of the identity pool (default 1000). */
  identities?: number;
  /** Seed of the identity universe (default 0). */
  identitySeed?: number;
  /** A fixed emotion: valence/arousal near its prototype. Otherwise valence and arousal are uniform in [−1, 1]. */
  emotion?: SynthEmotion;
  /** Fixed valence and arousal (overrides `emotion`'s prototype). */
  valenceArousal?: readonly [number, number];
  /** Pose variation: 0 = frontal and centred, 1 = default ranges (±14° roll, ±26° yaw, ±6 % shift). */
  poseJitter?: number;
  /** Probability of one or two occluders (default 0). */
  occlusion?: number;
  /** Backdrop clutter (default true). */
  clutter?: boolean;
  /** Multiplier of the style's sensor noise (default 1; 0 = none). */
  noise?: number;
}

/** Spread of valence/arousal around an emotion's prototype. */
const CLASS_JITTER = 0.08;

const clamp1 = (x: number) => Math.max(-1, Math.min(1, x));

/** Draws a pose with variation `jitter` (see SynthOptions.poseJitter). */
export function samplePose(rng: Rng, jitter: number): Pose {
  return {
    rotation: jitter * rng.uniform(-0.25, 0.25),
    scale: 1 + jitter * rng.uniform(-0.12, 0.08),
    tx: jitter * rng.uniform(-0.06, 0.06),
    ty: jitter * rng.uniform(-0.06, 0.06),
    yaw: jitter * rng.uniform(-0.45, 0.45),
  };
}

/** Draws 1–2 occluders (bars, blobs) over the face region of an n×n image. */
export function sampleOccluders(rng: Rng, n: number): Shape[] {
  const count = 1 + rng.int(2);
  return Array.from({ length: count }, () => ({
    kind: rng.next() < 0.5 ? ('box' as const) : ('ellipse' as const),
    x: n * rng.uniform(0.3, 0.7),
    y: n * rng.uniform(0.3, 0.75),
    a: n * rng.uniform(0.06, 0.2),
    b: n * rng.uniform(0.04, 0.12),
    angle: rng.uniform(0, Math.PI),
    color: [rng.next(), rng.next(), rng.next()] as const,
    alpha: 1,
    soft: 1,
    stripes: 0,
  }));
}

/** Draws the parameters of one image from `seed` (a pure function of seed and options). */
export function sampleFaceParams(seed: number, options: SynthOptions = {}): FaceParams {
  if (options.emotion && !SYNTH_EMOTIONS.includes(options.emotion)) {
    throw new Error(`unknown emotion '${options.emotion}': expected one of ${SYNTH_EMOTIONS.join(', ')}`);
  }
  const size = options.size ?? 96;
  const style = options.style ?? 'studio';
  const rng = new Rng(mixSeed(seed, 0x5f));
  const pool = options.identities ?? 1000;
  checkPositiveInt(pool, 'identities');
  const id = options.identity ?? rng.int(pool);
  let valence: number;
  let arousal: number;
  if (options.valenceArousal) [valence, arousal] = options.valenceArousal;
  else if (options.emotion) {
    const [pv, pa] = EMOTION_VALENCE_AROUSAL[options.emotion];
    valence = clamp1(pv + rng.normal(0, CLASS_JITTER));
    arousal = clamp1(pa + rng.normal(0, CLASS_JITTER));
  } else {
    valence = rng.uniform(-1, 1);
    arousal = rng.uniform(-1, 1);
  }
  const emotion = options.emotion ? SYNTH_EMOTIONS.indexOf(options.emotion) : nearestEmotion(valence, arousal);
  const noiseLevel = sampleNoiseLevel(rng, style) * (options.noise ?? 1);
  return {
    size,
    identity: identityParams(id, options.identitySeed ?? 0),
    valence,
    arousal,
    emotion,
    expression: expressionFor(valence, arousal, SYNTH_EMOTIONS[emotion]),
    pose: samplePose(rng, options.poseJitter ?? 1),
    lighting: sampleLighting(rng, style),
    style,
    backgroundSeed: rng.int(2 ** 32),
    clutter: options.clutter ?? true,
    noise: noiseLevel,
    noiseSeed: rng.int(2 ** 32),
    occluders: rng.next() < (options.occlusion ?? 0) ? sampleOccluders(rng, size) : [],
    gaze: [rng.uniform(-0.6, 0.6), rng.uniform(-0.4, 0.4)],
  };
}

/** Renders the face drawn from `seed`: `renderFace(sampleFaceParams(seed, options))`. */
export function synthFace(seed: number, options: SynthOptions = {}): SynthFace {
  return renderFace(sampleFaceParams(seed, options));
}
