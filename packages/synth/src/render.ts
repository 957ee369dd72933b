/**
 * The face renderer: per pixel, map back to canonical face coordinates and composite the face's implicit
 * shapes (body, hair, head, features, accessories) with anti-aliased coverage; then occluders, colour grading
 * and sensor noise. Ground truth (landmarks, UV, masks) comes from the same geometry and warp.
 */
import { Rng } from '@facelab/runtime';
import type { Expression } from './emotions.js';
import {
  browCenter,
  canonicalLandmarks,
  lowerLid,
  faceShape,
  headDistance,
  mouthCurves,
  noseBase,
  upperLid,
  type FaceShape,
} from './geometry.js';
import type { IdentityParams, Rgb } from './identity.js';
import { poseWarp, warpToCanonical, warpToImage, type Pose } from './pose.js';
import { boxDistance, coverage, drawShapes, ellipseDistance, segmentDistance, type Shape } from './raster.js';
import { drawBackdrop, type Lighting, type SynthStyle } from './style.js';

/** Everything that determines one synthetic image. */
export interface FaceParams {
  /** Image width and height in pixels. */
  size: number;
  identity: IdentityParams;
  /** Ground-truth valence and arousal in [−1, 1]. */
  valence: number;
  arousal: number;
  /** Ground-truth emotion class (index into SYNTH_EMOTIONS). */
  emotion: number;
  /** The drawn expression (normally expressionFor(valence, arousal, emotion)). */
  expression: Expression;
  pose: Pose;
  lighting: Lighting;
  style: SynthStyle;
  /** Seed of the backdrop (clips keep it fixed across frames). */
  backgroundSeed: number;
  /** Draw clutter shapes on the backdrop. */
  clutter: boolean;
  /** Sensor-noise standard deviation (image in [0, 1]); 0 = none. */
  noise: number;
  /** Seed of the sensor noise. */
  noiseSeed: number;
  /** Occluders in image pixels, drawn over everything. */
  occluders: readonly Shape[];
  /** Gaze offset of the irises as a fraction of the eye half-size, each in [−1, 1]. */
  gaze: readonly [number, number];
}

/** One rendered face and its ground truth. Pixel centres are at integer (x, y); x right, y down. */
export interface SynthFace {
  size: number;
  /** RGB, HWC, floats in [0, 1] (before quantisation). */
  rgb: Float32Array;
  /** RGB, HWC, bytes: round(255·rgb). */
  image: Uint8Array;
  valence: number;
  arousal: number;
  emotion: number;
  identity: number;
  /** 68 iBUG landmarks as [x0, y0, x1, y1, ...] in pixels. */
  landmarks: Float32Array;
  /** Per pixel (u, v) face coordinates in [0, 1] (HW2), exactly −1 off the face. */
  uv: Float32Array;
  /** 1 where the pixel centre is on the face (skin not covered by hair), i.e. where uv ≠ −1. */
  mask: Uint8Array;
  /** 1 where an occluder covers the pixel (at least half). */
  occlusion: Uint8Array;
  pose: Pose;
}

/** Pixel colour being composited. */
interface Px {
  r: number;
  g: number;
  b: number;
}

function over(p: Px, c: Rgb, k: number, alpha: number): void {
  if (alpha <= 0) return;
  p.r += (c[0] * k - p.r) * alpha;
  p.g += (c[1] * k - p.g) * alpha;
  p.b += (c[2] * k - p.b) * alpha;
}

const SCLERA: Rgb = [0.96, 0.95, 0.93];
const DARK: Rgb = [0.06, 0.05, 0.05];
const CAVITY: Rgb = [0.25, 0.06, 0.07];
const TEETH: Rgb = [0.93, 0.92, 0.86];
const LENS: Rgb = [0.75, 0.85, 0.95];
const MOLE: Rgb = [0.2, 0.13, 0.1];

/** Height of the fringe's lower edge at u; capped above the brows so hair never hides them. */
function hairCurve(id: IdentityParams, s: FaceShape, u: number, ctx: PixelContext): number {
  const side = Math.max(0, (Math.abs(u) - 0.5 * s.headWidth) / (0.5 * s.headWidth));
  const y = id.hairline + id.hairSide * side * side;
  return Math.abs(u) < ctx.browReach ? Math.min(y, ctx.browCap) : y;
}

/** Draws the face layers at one pixel; returns whether the pixel centre is on the visible face. */
function shadeFacePixel(p: Px, f: FaceParams, s: FaceShape, u: number, v: number, ps: number, ctx: PixelContext): boolean {
  const id = f.identity;
  const L = f.lighting;
  // Body: shoulders and neck, behind everything else.
  const shoulder = ellipseDistance(u, v - (s.chinHeight + 0.85), Math.min(1.45, 1.9 * s.headWidth), 0.5);
  over(p, id.clothes, L.ambient + 0.4 * L.diffuse, coverage(shoulder, ps));
  const neckW = 0.42 * s.headWidth;
  if (Math.abs(u) < neckW + ps && v > 0.2) {
    const neck = Math.max(Math.abs(u) - neckW, 0.3 - v, v - (s.chinHeight + 0.7));
    over(p, id.skin, 0.75 * (L.ambient + 0.5 * L.diffuse), coverage(neck, ps));
  }
  // Back hair (long hair shows beside the face) and ears.
  const hairEll = ellipseDistance(u, v + 0.02, s.headWidth * id.hairVolume, s.crownHeight * id.hairVolume);
  over(p, id.hair, L.ambient + 0.3 * L.diffuse, coverage(Math.max(hairEll, v - id.hairLength), ps));
  const earY = 0.5 * (id.eyeY + id.noseY);
  if (Math.abs(v - earY) < 0.2) {
    const ear = ellipseDistance(Math.abs(u) - 0.97 * s.headWidth, v - earY, 0.08, 0.15);
    over(p, id.skin, 0.85 * (L.ambient + 0.5 * L.diffuse), coverage(ear, ps));
  }
  // Head with Lambertian shading of an ellipsoid normal.
  const hd = headDistance(s, u, v);
  const headCov = coverage(hd, ps);
  if (headCov <= 0) return false;
  const nx = u / s.headWidth;
  const ny = v / (v < 0 ? s.crownHeight : s.chinHeight);
  const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
  let shade = L.ambient + L.diffuse * Math.max(0, nx * ctx.lx + ny * ctx.ly + nz * ctx.lz);
  if (f.style === 'wild') shade *= 1 + 0.05 * Math.sin(u * 61 + id.id) * Math.sin(v * 57 + 2 * id.id);
  over(p, id.skin, shade, headCov);
  const n = s.nose;
  if (id.beard) over(p, id.hair, 0.9 * shade, 0.75 * coverage(Math.max(hd, n.base + 0.04 - v), ps));
  if (id.mole) over(p, MOLE, shade, 0.8 * coverage(Math.hypot(u - id.mole[0], v - id.mole[1]) - 0.015, ps));
  // Nose: side shadow of the bridge, base line, nostrils, wrinkles.
  if (Math.abs(u - n.x) < 1.3 * n.hw && v > n.top && v < n.base + 0.04) {
    const bridge = Math.max(Math.abs(u - n.x - 0.3 * n.hw) - 0.012, n.top + 0.05 - v, v - n.tip);
    over(p, id.skin, 0.75 * shade, 0.5 * coverage(bridge, ps));
    const t = (u - n.x) / n.hw;
    const baseLine = Math.max(Math.abs(v - noseBase(n, t)) - 0.007, (Math.abs(t) - 1) * n.hw);
    over(p, id.skin, 0.6 * shade, 0.8 * coverage(baseLine, ps));
    const nostril = ellipseDistance(Math.abs(u - n.x) - 0.5 * n.hw, v - n.base + 0.014, 0.024, 0.011);
    over(p, DARK, 1, 0.8 * coverage(nostril, ps));
    if (f.expression.noseWrinkle > 0) {
      const k = Math.round((v - n.top - 0.04) / 0.025);
      const wy = n.top + 0.04 + 0.025 * Math.min(2, Math.max(0, k));
      const wrinkle = Math.max(Math.abs(v - wy) - 0.005, Math.abs(u - n.x) - 0.05);
      over(p, id.skin, 0.55 * shade, f.expression.noseWrinkle * coverage(wrinkle, ps));
    }
  }
  // Eyes: sclera between the lids, iris and pupil clipped by them, lash line along the upper lid.
  for (const e of s.eyes) {
    const t = (u - e.cx) / e.hw;
    if (Math.abs(t) > 1.2 || Math.abs(v - e.cy) > e.up + 0.03) continue;
    const upY = upperLid(e, t);
    const loY = lowerLid(e, t);
    const eyeCov = coverage(Math.max(upY - v, v - loY), ps);
    if (eyeCov > 0) {
      over(p, SCLERA, shade, eyeCov);
      const ix = e.cx + 0.35 * e.hw * f.gaze[0];
      const iy = e.cy + 0.3 * e.up * f.gaze[1];
      const ir = 0.48 * e.hw;
      const iris = Math.hypot(u - ix, v - iy);
      over(p, id.iris, shade, eyeCov * coverage(iris - ir, ps));
      over(p, DARK, 1, eyeCov * coverage(iris - 0.45 * ir, ps));
    }
    const lash = Math.max(Math.abs(v - upY) - 0.007, (Math.abs(t) - 1) * e.hw);
    over(p, DARK, 1, 0.9 * coverage(lash, ps));
  }
  // Brows: thick centre lines, thinner toward the outer ends.
  for (const b of s.brows) {
    const t = (u - b.cx) / b.hw;
    if (Math.abs(t) > 1.2) continue;
    const c = browCenter(b, Math.max(-1, Math.min(1, t)));
    const th = b.thick * (0.8 + 0.2 * b.side * t);
    const brow = Math.max(Math.abs(v - c) - th, (Math.abs(t) - 1) * b.hw);
    over(p, ctx.brow, shade, coverage(brow, ps));
  }
  // Mouth: lips between the outer curves, dark cavity between the inner ones, upper teeth.
  const m = s.mouth;
  const tm = (u - m.x) / m.hw;
  if (Math.abs(tm) < 1.1) {
    const c = mouthCurves(m, tm, ctx.lips);
    const uo = c[0]!;
    const ui = c[1]!;
    const li = c[2]!;
    const lo = c[3]!;
    const lips = Math.max(uo - v, v - lo, (Math.abs(tm) - 1) * m.hw);
    over(p, id.lips, shade, coverage(lips, ps));
    if (m.open > 0) {
      const cavity = Math.max(ui - v, v - li);
      over(p, CAVITY, shade, coverage(cavity, ps));
      over(p, TEETH, shade, coverage(Math.max(cavity, v - ui - 0.025), ps));
    }
    const seam = Math.max(Math.abs(v - 0.5 * (ui + li)) - 0.004, (Math.abs(tm) - 1) * m.hw);
    over(p, id.lips, 0.55 * shade, 0.7 * coverage(seam, ps));
  }
  // Fringe: the hair in front of the forehead and temples.
  const fringe = Math.max(hairEll, v - hairCurve(id, s, u, ctx));
  over(p, id.hair, shade, coverage(fringe, ps));
  // Glasses: rims around the eyes joined by a bridge, slightly tinted lenses.
  if (id.glasses !== 'none') {
    const e = s.eyes[1];
    const rx = 1.45 * e.hw;
    const ry = 1.05 * e.hw;
    const lu = Math.abs(u) - e.cx;
    const lv = v - e.cy;
    const rim = id.glasses === 'round' ? ellipseDistance(lu, lv, rx, ry) : boxDistance(lu, lv, rx, ry, 0.03);
    over(p, LENS, shade, 0.12 * coverage(rim, ps));
    over(p, id.glassesColor, shade, coverage(Math.abs(rim) - 0.012, ps));
    const bridge = segmentDistance(u, v, -(e.cx - rx), e.cy - 0.02, e.cx - rx, e.cy - 0.02) - 0.01;
    over(p, id.glassesColor, shade, coverage(bridge, ps));
  }
  return hd < 0 && fringe > 0;
}

/** Per-face constants of {@link shadeFacePixel}. */
interface PixelContext {
  /** Unit light direction (x right, y down, z toward the camera). */
  lx: number;
  ly: number;
  lz: number;
  /** The fringe stays above this height where |u| < browReach. */
  browCap: number;
  browReach: number;
  /** Brow colour (darkened hair). */
  brow: Rgb;
  /** Scratch for the lip curves. */
  lips: Float64Array;
}

function validate(f: FaceParams): void {
  if (!Number.isInteger(f.size) || f.size < 8 || f.size > 4096) {
    throw new Error(`renderFace: size must be an integer in [8, 4096], got ${f.size}`);
  }
  if (!(Math.abs(f.valence) <= 1 && Math.abs(f.arousal) <= 1)) {
    throw new Error(`renderFace: valence and arousal must be in [-1, 1], got (${f.valence}, ${f.arousal})`);
  }
  if (!(f.noise >= 0)) throw new Error(`renderFace: noise must be >= 0, got ${f.noise}`);
}

/** Renders one face and its ground truth; a pure function of `params`. */
export function renderFace(params: FaceParams): SynthFace {
  validate(params);
  const f = params;
  const n = f.size;
  const id = f.identity;
  const s = faceShape(id, f.expression);
  const w = poseWarp(f.pose, n);
  const rgb = new Float32Array(n * n * 3);
  drawBackdrop(rgb, n, f.style, f.backgroundSeed, f.clutter);

  const L = f.lighting;
  const browTop = Math.min(...s.brows.map((b) => b.cy - b.arch - Math.abs(b.inner))) - 0.06;
  const ctx: PixelContext = {
    lx: Math.sin(L.azimuth) * Math.cos(L.elevation),
    ly: -Math.sin(L.elevation),
    lz: Math.cos(L.azimuth) * Math.cos(L.elevation),
    browCap: browTop,
    browReach: s.brows[1].cx + 1.3 * s.brows[1].hw,
    brow: [id.hair[0] * 0.6, id.hair[1] * 0.6, id.hair[2] * 0.6],
    lips: new Float64Array(4),
  };
  const uv = new Float32Array(n * n * 2).fill(-1);
  const mask = new Uint8Array(n * n);
  const vTop = -s.crownHeight * id.hairVolume - 0.1;
  const sc = new Float64Array(3);
  const p: Px = { r: 0, g: 0, b: 0 };
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (!warpToCanonical(w, x, y, sc)) continue;
      const u = sc[0]!;
      const v = sc[1]!;
      if (v < vTop) continue;
      const i = y * n + x;
      p.r = rgb[3 * i]!;
      p.g = rgb[3 * i + 1]!;
      p.b = rgb[3 * i + 2]!;
      if (shadeFacePixel(p, f, s, u, v, sc[2]!, ctx)) {
        mask[i] = 1;
        uv[2 * i] = (u + 1) / 2;
        uv[2 * i + 1] = (v + 1.2) / 2.4;
      }
      rgb[3 * i] = p.r;
      rgb[3 * i + 1] = p.g;
      rgb[3 * i + 2] = p.b;
    }
  }

  const occlusion = new Uint8Array(n * n);
  drawShapes(rgb, n, f.occluders, occlusion);
  finish(rgb, L, f.noise, f.noiseSeed);

  const canon = canonicalLandmarks(s);
  const landmarks = new Float32Array(136);
  for (let k = 0; k < 68; k++) {
    const [lx, ly] = warpToImage(w, canon[2 * k]!, canon[2 * k + 1]!);
    landmarks[2 * k] = lx;
    landmarks[2 * k + 1] = ly;
  }
  return {
    size: n,
    rgb,
    image: quantize(rgb),
    valence: f.valence,
    arousal: f.arousal,
    emotion: f.emotion,
    identity: id.id,
    landmarks,
    uv,
    mask,
    occlusion,
    pose: f.pose,
  };
}

/** Colour grading (saturation, tint, gain), then sensor noise, clamped to [0, 1]. */
function finish(rgb: Float32Array, L: Lighting, noise: number, seed: number): void {
  const rng = new Rng(seed);
  const amp = noise * Math.sqrt(6); // (U1 + U2 − 1)·√6 has unit variance: a cheap near-Gaussian
  for (let k = 0; k < rgb.length; k += 3) {
    const gray = (rgb[k]! + rgb[k + 1]! + rgb[k + 2]!) / 3;
    for (let c = 0; c < 3; c++) {
      let x = (gray + (rgb[k + c]! - gray) * L.saturation) * L.tint[c]! * L.gain;
      if (noise > 0) x += amp * (rng.next() + rng.next() - 1);
      rgb[k + c] = x < 0 ? 0 : x > 1 ? 1 : x;
    }
  }
}

/** Bytes round(255·x) of floats in [0, 1]. */
export function quantize(rgb: Float32Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let k = 0; k < rgb.length; k++) out[k] = Math.round(rgb[k]! * 255);
  return out;
}
