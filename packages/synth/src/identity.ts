/**
 * Identity parameters: everything about a synthetic face that stays fixed across images of one person.
 * They are a pure function of (id, seed), so any process regenerates the same person from the id alone.
 */
import { Rng, mixSeed } from '@facelab/runtime';

/** An RGB colour with channels in [0, 1]. */
export type Rgb = readonly [number, number, number];

/** The fixed look of one synthetic person (lengths in canonical face units: the head is about 1.5 wide). */
export interface IdentityParams {
  /** The identity id these parameters were made from. */
  id: number;
  /** Half-width of the head at ear level. */
  headWidth: number;
  /** Distance from the face centre down to the chin. */
  chinHeight: number;
  /** Distance from the face centre up to the top of the skull. */
  crownHeight: number;
  /** How much narrower the jaw is than the cheeks (0 = elliptic). */
  jawTaper: number;
  /** Half the distance between the eye centres. */
  eyeSpacing: number;
  /** Height of the eye centres (negative = above the face centre). */
  eyeY: number;
  /** Half-width of an eye. */
  eyeWidth: number;
  /** Half-opening of a neutral eye. */
  eyeHeight: number;
  /** Iris colour. */
  iris: Rgb;
  /** Gap between eye centre and brow. */
  browGap: number;
  /** Brow half-thickness. */
  browThickness: number;
  /** Brow arch height. */
  browArch: number;
  /** Height of the nose base (nostrils). */
  noseY: number;
  /** Half-width of the nose base. */
  noseWidth: number;
  /** Height of the mouth centre line. */
  mouthY: number;
  /** Half-width of a neutral mouth. */
  mouthWidth: number;
  /** Upper-lip thickness (the lower lip is 1.3× thicker). */
  lipThickness: number;
  /** Lip colour. */
  lips: Rgb;
  /** Skin colour. */
  skin: Rgb;
  /** Hair colour. */
  hair: Rgb;
  /** Height of the hairline at the centre of the forehead. */
  hairline: number;
  /** How far the hair comes down at the temples, below the hairline. */
  hairSide: number;
  /** Hair volume: the hair outline is the head outline scaled by this. */
  hairVolume: number;
  /** Lowest point of the hair behind the head (long hair reaches the shoulders). */
  hairLength: number;
  /** Clothing colour. */
  clothes: Rgb;
  /** Glasses: none, round or rectangular rims. */
  glasses: 'none' | 'round' | 'square';
  /** Rim colour of the glasses. */
  glassesColor: Rgb;
  /** A beard and moustache. */
  beard: boolean;
  /** A mole at this (u, v), or null. */
  mole: readonly [number, number] | null;
}

const SKIN: readonly Rgb[] = [
  [0.98, 0.85, 0.75], [0.94, 0.76, 0.62], [0.87, 0.67, 0.5], [0.76, 0.55, 0.38],
  [0.6, 0.42, 0.29], [0.45, 0.3, 0.2], [0.33, 0.22, 0.15],
];
const HAIR: readonly Rgb[] = [
  [0.08, 0.06, 0.05], [0.25, 0.15, 0.08], [0.45, 0.3, 0.15], [0.85, 0.7, 0.4],
  [0.6, 0.25, 0.1], [0.7, 0.7, 0.7], [0.95, 0.95, 0.93],
];
const IRIS: readonly Rgb[] = [[0.35, 0.2, 0.1], [0.2, 0.35, 0.6], [0.3, 0.45, 0.25], [0.15, 0.1, 0.07]];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function pickTone(rng: Rng, palette: readonly Rgb[]): Rgb {
  const x = rng.uniform(0, palette.length - 1);
  const i = Math.floor(x);
  return mix(palette[i]!, palette[Math.min(i + 1, palette.length - 1)]!, x - i);
}

/**
 * The identity parameters of person `id` in the universe `seed`: a pure function of both, so the same id
 * always looks the same, and different ids differ in head shape, features, tones and accessories.
 */
export function identityParams(id: number, seed = 0): IdentityParams {
  if (!Number.isInteger(id) || id < 0) throw new Error(`identityParams: id must be a non-negative integer, got ${id}`);
  const r = new Rng(mixSeed(id, seed, 0x1d));
  const skin = pickTone(r, SKIN);
  const hair = pickTone(r, HAIR);
  const headWidth = r.uniform(0.62, 0.8);
  const glassesDraw = r.next();
  return {
    id,
    headWidth,
    chinHeight: r.uniform(0.86, 1.0),
    crownHeight: r.uniform(0.95, 1.08),
    jawTaper: r.uniform(0, 0.38),
    eyeSpacing: headWidth * r.uniform(0.36, 0.46),
    eyeY: r.uniform(-0.22, -0.13),
    eyeWidth: r.uniform(0.095, 0.13),
    eyeHeight: r.uniform(0.035, 0.055),
    iris: IRIS[r.int(IRIS.length)]!,
    browGap: r.uniform(0.1, 0.15),
    browThickness: r.uniform(0.017, 0.03),
    browArch: r.uniform(0.0, 0.04),
    noseY: r.uniform(0.14, 0.24),
    noseWidth: r.uniform(0.075, 0.12),
    mouthY: r.uniform(0.44, 0.56),
    mouthWidth: r.uniform(0.23, 0.3),
    lipThickness: r.uniform(0.025, 0.05),
    lips: mix(skin, [0.6, 0.12, 0.18], r.uniform(0.5, 0.75)),
    skin,
    hair,
    hairline: r.uniform(-0.7, -0.55),
    hairSide: r.uniform(0.15, 0.4),
    hairVolume: r.uniform(1.04, 1.16),
    hairLength: r.uniform(-0.2, 0.9),
    clothes: [r.next(), r.next(), r.next()],
    glasses: glassesDraw < 0.7 ? 'none' : glassesDraw < 0.85 ? 'round' : 'square',
    glassesColor: pickTone(r, HAIR),
    beard: r.next() < 0.2,
    mole: r.next() < 0.3 ? [r.uniform(-0.45, 0.45), r.uniform(-0.05, 0.35)] : null,
  };
}
