/**
 * Canonical face geometry: the curves the renderer fills and the 68 iBUG landmarks, both computed by the same
 * functions, so every landmark lies on a drawn contour by construction. Canonical units: u right, v down,
 * origin at the face centre (about the nose bridge), head about 1.5 wide.
 */
import type { Expression } from './emotions.js';
import type { IdentityParams } from './identity.js';

/** An eye: lids are parabolas through the corners (cx ± hw, cy). */
export interface EyeShape {
  cx: number;
  cy: number;
  hw: number;
  /** Upper-lid height above cy at the middle. */
  up: number;
  /** Lower-lid depth below cy at the middle. */
  lo: number;
}

/** A brow: centre line over t ∈ [−1, 1]; `side` = +1 when its inner end is at t = +1. */
export interface BrowShape {
  cx: number;
  cy: number;
  hw: number;
  arch: number;
  inner: number;
  side: number;
  thick: number;
}

/** The nose: bridge from (x, top) to the tip, base curve through the nostrils. */
export interface NoseShape {
  x: number;
  top: number;
  tip: number;
  base: number;
  hw: number;
  lift: number;
}

/** The mouth: centre line m(t) = y − curve·t², lips and cavity around it. */
export interface MouthShape {
  x: number;
  y: number;
  hw: number;
  curve: number;
  open: number;
  lipU: number;
  lipL: number;
  /** t of the inner corners. */
  ti: number;
  upperRaise: number;
}

/** All canonical geometry of one face (identity + expression). */
export interface FaceShape {
  headWidth: number;
  chinHeight: number;
  crownHeight: number;
  jawTaper: number;
  eyes: readonly [EyeShape, EyeShape];
  brows: readonly [BrowShape, BrowShape];
  nose: NoseShape;
  mouth: MouthShape;
}

/** Builds the canonical geometry of `identity` making `expression`. */
export function faceShape(identity: IdentityParams, expression: Expression): FaceShape {
  const id = identity;
  const e = expression;
  const eye = (cx: number): EyeShape => ({
    cx,
    cy: id.eyeY,
    hw: id.eyeWidth,
    up: id.eyeHeight * e.eyeOpen * 1.2,
    lo: id.eyeHeight * e.eyeOpen * 0.7,
  });
  const browY = id.eyeY - id.browGap - 0.08 * e.browRaise;
  const brow = (cx: number, side: number): BrowShape => ({
    cx: cx - side * 0.01,
    cy: browY,
    hw: id.eyeWidth * 1.25,
    arch: id.browArch + 0.015 * Math.max(0, e.browRaise),
    inner: 0.05 * e.browInnerRaise,
    side,
    thick: id.browThickness,
  });
  return {
    headWidth: id.headWidth,
    chinHeight: id.chinHeight,
    crownHeight: id.crownHeight,
    jawTaper: id.jawTaper,
    eyes: [eye(-id.eyeSpacing), eye(id.eyeSpacing)],
    brows: [brow(-id.eyeSpacing, 1), brow(id.eyeSpacing, -1)],
    nose: { x: 0, top: id.eyeY, tip: id.noseY - 0.035, base: id.noseY, hw: id.noseWidth, lift: 0.03 },
    mouth: {
      x: 0,
      y: id.mouthY,
      hw: id.mouthWidth * e.mouthWidth,
      curve: 0.2 * e.mouthCurve,
      open: 0.22 * e.mouthOpen,
      lipU: id.lipThickness,
      lipL: id.lipThickness * 1.3,
      ti: 0.8,
      upperRaise: 0.035 * e.upperLipRaise,
    },
  };
}

/** Half-width of the head outline at height v (0 outside [−crown, chin]). */
export function headHalfWidth(s: FaceShape, v: number): number {
  if (v < 0) {
    const k = v / s.crownHeight;
    return k <= -1 ? 0 : s.headWidth * Math.sqrt(1 - k * k);
  }
  const k = v / s.chinHeight;
  return k >= 1 ? 0 : s.headWidth * (1 - s.jawTaper * k * k) * Math.sqrt(1 - k * k);
}

/**
 * Approximate signed distance to the head outline (negative inside): the implicit
 * f = (u/W(v))² + (v/H)² − 1 divided by its gradient norm, W tapering toward the chin.
 */
export function headDistance(s: FaceShape, u: number, v: number): number {
  let f: number;
  let gu: number;
  let gv: number;
  if (v < 0) {
    const a = s.headWidth;
    const b = s.crownHeight;
    f = (u * u) / (a * a) + (v * v) / (b * b) - 1;
    gu = (2 * u) / (a * a);
    gv = (2 * v) / (b * b);
  } else {
    const h = s.chinHeight;
    const k = v / h;
    const w = s.headWidth * (1 - s.jawTaper * k * k);
    const dw = (-2 * s.headWidth * s.jawTaper * v) / (h * h);
    f = (u * u) / (w * w) + k * k - 1;
    gu = (2 * u) / (w * w);
    gv = (-2 * u * u * dw) / (w * w * w) + (2 * v) / (h * h);
  }
  const g = Math.sqrt(gu * gu + gv * gv);
  return f / Math.max(g, 1e-3);
}

/** Height of an eye's upper lid at t = (u − cx)/hw. */
export function upperLid(e: EyeShape, t: number): number {
  return e.cy - e.up * (1 - t * t);
}

/** Height of an eye's lower lid at t = (u − cx)/hw. */
export function lowerLid(e: EyeShape, t: number): number {
  return e.cy + e.lo * (1 - t * t);
}

/** Height of a brow's centre line at t = (u − cx)/hw. */
export function browCenter(b: BrowShape, t: number): number {
  return b.cy - b.arch * (1 - t * t) - b.inner * 0.5 * (1 + b.side * t);
}

/** Height of the nose base curve at t = (u − x)/hw. */
export function noseBase(n: NoseShape, t: number): number {
  return n.base - n.lift * t * t;
}

/**
 * The four lip curves at t = (u − x)/hw written into `out`: [upper outer, upper inner, lower inner, lower outer].
 * (An output buffer, because the renderer calls this per pixel.)
 */
export function mouthCurves(m: MouthShape, t: number, out: Float64Array): Float64Array {
  const mid = m.y - m.curve * t * t;
  const s = Math.sqrt(Math.max(0, 1 - t * t));
  const ri = t / m.ti;
  const si = Math.sqrt(Math.max(0, 1 - ri * ri));
  const upIn = mid - (m.open / 2) * si - m.upperRaise * si * (1 + 0.5 * t);
  const loIn = mid + (m.open / 2) * si;
  out[0] = upIn - m.lipU * s;
  out[1] = upIn;
  out[2] = loIn;
  out[3] = loIn + m.lipL * s;
  return out;
}

/** The 68 landmarks in iBUG order as canonical (u, v) pairs, flattened [u0, v0, u1, v1, ...]. */
export function canonicalLandmarks(s: FaceShape): Float64Array {
  const out = new Float64Array(136);
  let k = 0;
  const put = (u: number, v: number) => {
    out[k++] = u;
    out[k++] = v;
  };
  // Jaw 0–16: on the head outline from just below the left eye, round the chin, to the right.
  const phi0 = Math.asin((s.eyes[0].cy + 0.06) / s.crownHeight);
  for (let i = 0; i < 17; i++) {
    const phi = phi0 + (i * (Math.PI - 2 * phi0)) / 16;
    const v = (Math.sin(phi) < 0 ? s.crownHeight : s.chinHeight) * Math.sin(phi);
    put(-Math.sign(Math.cos(phi)) * headHalfWidth(s, v), v);
  }
  // Brows 17–26: five points along each centre line, left to right.
  for (const b of s.brows) {
    for (let i = 0; i < 5; i++) {
      const t = -1 + i / 2;
      put(b.cx + t * b.hw, browCenter(b, t));
    }
  }
  // Nose 27–30 down the bridge, 31–35 along the base.
  const n = s.nose;
  for (let i = 0; i < 4; i++) put(n.x, n.top + (i * (n.tip - n.top)) / 3);
  for (let i = 0; i < 5; i++) {
    const t = -1 + i / 2;
    put(n.x + t * n.hw, noseBase(n, t));
  }
  // Eyes 36–47: corner, two upper-lid points, corner, two lower-lid points (clockwise in the image).
  for (const e of s.eyes) {
    const third = 1 / 3;
    put(e.cx - e.hw, e.cy);
    put(e.cx - third * e.hw, upperLid(e, -third));
    put(e.cx + third * e.hw, upperLid(e, third));
    put(e.cx + e.hw, e.cy);
    put(e.cx + third * e.hw, lowerLid(e, third));
    put(e.cx - third * e.hw, lowerLid(e, -third));
  }
  // Mouth 48–59 outer contour, 60–67 inner contour (clockwise from the left corner).
  const m = s.mouth;
  const lips = new Float64Array(4);
  const at = (t: number, curve: 0 | 1 | 2 | 3) => put(m.x + t * m.hw, mouthCurves(m, t, lips)[curve]!);
  for (const t of [-1, -2 / 3, -1 / 3, 0, 1 / 3, 2 / 3, 1]) at(t, 0);
  for (const t of [2 / 3, 1 / 3, 0, -1 / 3, -2 / 3]) at(t, 3);
  at(-m.ti, 1);
  for (const t of [-m.ti / 2, 0, m.ti / 2]) at(t, 1);
  at(m.ti, 1);
  for (const t of [m.ti / 2, 0, -m.ti / 2]) at(t, 2);
  return out;
}
