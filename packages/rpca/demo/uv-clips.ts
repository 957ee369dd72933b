/**
 * The UV-completion experiment's synthetic data (@facelab/synth): clips whose frames are sampled into UV space
 * with self-occlusion, their ground-truth textures, the frontal views used for recognition, and the training pairs
 * (incomplete → complete texture) of the GAN that supplies side information.
 *
 * synth's faces are 2-D drawings with an approximate yaw (a foreshortening that hides nothing), so self-occlusion
 * is modelled on the renderer's own ellipsoid head normal: a texel is visible when its normal, turned by the yaw,
 * faces the camera by more than `threshold` (README, departures).
 */
import { Rng, mixSeed } from '@facelab/runtime';
import { FRONTAL_POSE, clipFrameParams, faceShape, renderFace, sampleFaceParams, sampleOccluders, type FaceParams, type SynthFace } from '@facelab/synth';
import { sampleUv, type UvTexture } from '@facelab/rpca';

/** Sizes and amounts of the synthetic UV data. */
export interface UvDataConfig {
  /** UV texels per side. */
  uvSize: number;
  /** Pixels of the posed frames that are sampled. */
  frameSize: number;
  /** Pixels of the frontal render whose sampling is the ground-truth texture. */
  truthSize: number;
  /** Pixels of the frontal views compared by the recognition model. */
  viewSize: number;
  /** Frames per clip, and real frontal frames held out per identity. */
  frames: number;
  heldOut: number;
  /** Clips (one identity each) to complete; their identities are never used in training. */
  clips: number;
  /** Head motion of the clips (synth's `motion`: yaw up to ±0.35·motion rad). */
  motion: number;
  /** Probability that a frame carries one or two occluders (the sparse corruption). */
  occlusion: number;
  /** A texel is visible when its turned normal's z exceeds this. */
  threshold: number;
  seed: number;
}

/** First identity id of the test clips; training uses ids below it. */
export const TEST_IDENTITY_BASE = 50_000;
const IDENTITIES = 100_000;

/**
 * 1 where the face point at canonical (u, v) faces the camera after a head yaw of `yaw`: the renderer's shading
 * normal (u/w, v/h, √(1 − ·²)) of the head ellipsoid, turned about the vertical axis, has z > threshold.
 */
export function facesCamera(shape: { headWidth: number; crownHeight: number; chinHeight: number }, u: number, v: number, yaw: number, threshold: number): boolean {
  const nx = u / shape.headWidth;
  const ny = v / (v < 0 ? shape.crownHeight : shape.chinHeight);
  const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
  return nz * Math.cos(yaw) - nx * Math.sin(yaw) > threshold;
}

/** synth's UV → canonical face coordinates (render.ts: u = (x + 1)/2, v = (y + 1.2)/2.4). */
const canonical = (u: number, v: number): [number, number] => [2 * u - 1, 2.4 * v - 1.2];

/** Per-pixel self-occlusion of a rendered face (1 = visible). */
function pixelVisibility(face: SynthFace, params: FaceParams, threshold: number): Uint8Array {
  const shape = faceShape(params.identity, params.expression);
  const out = new Uint8Array(face.size * face.size);
  for (let i = 0; i < out.length; i++) {
    if (!face.mask[i]) continue;
    const [u, v] = canonical(face.uv[2 * i]!, face.uv[2 * i + 1]!);
    out[i] = facesCamera(shape, u, v, params.pose.yaw, threshold) ? 1 : 0;
  }
  return out;
}

/** The frame's texture: visible face pixels scattered into UV space. */
function observedTexture(face: SynthFace, params: FaceParams, c: UvDataConfig): UvTexture {
  return sampleUv({ width: face.size, height: face.size, channels: 3, pixels: face.rgb, uv: face.uv, visible: pixelVisibility(face, params, c.threshold) }, { size: c.uvSize });
}

/** The ground truth: the same face (expression, light) frontal, noiseless, unoccluded, sampled densely. */
function truthTexture(params: FaceParams, c: UvDataConfig): UvTexture {
  const face = renderFace({ ...params, size: c.truthSize, pose: FRONTAL_POSE, noise: 0, occluders: [] });
  return sampleUv({ width: face.size, height: face.size, channels: 3, pixels: face.rgb, uv: face.uv }, { size: c.uvSize });
}

/** A frontal view for recognition: the face pixels as drawn (with sensor noise), grey (0.5) off the face. */
export interface FrontalView {
  pixels: Float64Array;
  /** The view's U-V map (where a completed texture is re-rendered). */
  uv: Float32Array;
}

function frontalView(params: FaceParams, c: UvDataConfig): FrontalView {
  const face = renderFace({ ...params, size: c.viewSize, pose: FRONTAL_POSE, occluders: [] });
  const pixels = new Float64Array(face.rgb.length).fill(0.5);
  for (let i = 0; i < face.mask.length; i++) if (face.mask[i]) for (let k = 0; k < 3; k++) pixels[3 * i + k] = face.rgb[3 * i + k]!;
  return { pixels, uv: face.uv };
}

/** One clip of the experiment. */
export interface UvClip {
  identity: number;
  observed: UvTexture[];
  truth: UvTexture[];
  /** Per frame: its geometry's frontal U-V map (re-rendering target) at viewSize. */
  frontalUv: Float32Array[];
  /** Real frontal frames of the same identity, held out from the clip. */
  heldOut: FrontalView[];
  /** One posed frame (for the figure). */
  firstFrame: SynthFace;
}

/** Clip k: `frames` posed frames (occluders on some) and `heldOut` later frames rendered frontally. */
export function uvClip(k: number, c: UvDataConfig): UvClip {
  const identity = TEST_IDENTITY_BASE + k;
  const seed = mixSeed(c.seed, 1000 + k);
  const all = clipFrameParams(seed, { frames: c.frames + c.heldOut, size: c.frameSize, identity, identities: IDENTITIES, motion: c.motion, clutter: false });
  const rng = new Rng(mixSeed(seed, 7));
  const clip: UvClip = { identity, observed: [], truth: [], frontalUv: [], heldOut: [], firstFrame: undefined as unknown as SynthFace };
  all.forEach((params, j) => {
    if (j >= c.frames) {
      clip.heldOut.push(frontalView(params, c));
      return;
    }
    const occluders = rng.next() < c.occlusion ? sampleOccluders(rng, c.frameSize) : [];
    const framed = { ...params, occluders };
    const face = renderFace(framed);
    if (j === 0) clip.firstFrame = face;
    clip.observed.push(observedTexture(face, framed, c));
    clip.truth.push(truthTexture(params, c));
    clip.frontalUv.push(renderFace({ ...params, size: c.viewSize, pose: FRONTAL_POSE, noise: 0, occluders: [] }).uv);
  });
  return clip;
}

/**
 * GAN training pairs from `count` faces of training identities: the truth texture and the same texture with the
 * texels a random yaw (|yaw| ≤ 0.35·motion·1.5) hides removed — the incomplete input, zero where missing.
 */
export function ganPairs(count: number, c: UvDataConfig): { inputs: UvTexture[]; targets: UvTexture[] } {
  const rng = new Rng(mixSeed(c.seed, 2));
  const inputs: UvTexture[] = [];
  const targets: UvTexture[] = [];
  for (let i = 0; i < count; i++) {
    const params = sampleFaceParams(mixSeed(c.seed, 10_000 + i), { identity: rng.int(TEST_IDENTITY_BASE), identities: IDENTITIES, clutter: false, valenceArousal: [rng.uniform(-1, 1), rng.uniform(-1, 1)] });
    const truth = truthTexture(params, c);
    const yaw = rng.uniform(-0.525, 0.525) * c.motion;
    const shape = faceShape(params.identity, params.expression);
    const mask = truth.mask.slice();
    for (let t = 0; t < mask.length; t++) {
      const [u, v] = canonical(((t % c.uvSize) + 0.5) / c.uvSize, (Math.floor(t / c.uvSize) + 0.5) / c.uvSize);
      if (mask[t] && !facesCamera(shape, u, v, yaw, c.threshold)) mask[t] = 0;
    }
    inputs.push({ ...truth, data: truth.data.map((x, j) => (mask[Math.floor(j / 3)] ? x : 0)), mask });
    targets.push(truth);
  }
  return { inputs, targets };
}

/** `perId` frontal-ish faces (small pose jitter, face pixels only) of each of `ids` training identities, for the recognition model. */
export function recognitionFaces(ids: number, perId: number, c: UvDataConfig): { views: Float64Array[]; labels: number[] } {
  const views: Float64Array[] = [];
  const labels: number[] = [];
  for (let id = 0; id < ids; id++) {
    for (let k = 0; k < perId; k++) {
      const params = sampleFaceParams(mixSeed(c.seed, 20_000 + id * perId + k), { size: c.viewSize, identity: id, identities: IDENTITIES, poseJitter: 0.2, clutter: false });
      views.push(frontalView(params, c).pixels);
      labels.push(id);
    }
  }
  return { views, labels };
}
